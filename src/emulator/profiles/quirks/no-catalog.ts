/**
 * Quirk: no `_catalog` for the client: 404 where the registry has none (GHCR row 17, Docker Hub row 21), 401
 * where it is for administrators only (Harbor row 37, GitLab row 43).
 * @module
 */
import { ociRefusal, type Quirk } from "../profile";

/** `GET /v2/_catalog` answers 404 (none) or 401 (administrators only). */
export function noCatalog(answer: "absent" | "admin-only"): Quirk {
  const refusal =
    answer === "absent"
      ? { status: 404, body: { form: "text" as const, text: "404 page not found" } }
      : ociRefusal(401, "UNAUTHORIZED", "unauthorized to list catalog: insufficient_scope registry:catalog:*");
  return (profile) => ({ ...profile, endpoints: { ...profile.endpoints, catalog: refusal } });
}
