/**
 * Quirk (registry-quirks rows 15, 42, 54, 59): no referrers API; the router answers a plain-text
 * `404 page not found`, and clients fall back to the `sha256-<hex>` tag schema.
 * @module
 */
import type { Quirk } from "../profile";

/** `GET /v2/<name>/referrers/<digest>` answers a plain-text 404. */
export const noReferrers: Quirk = (profile) => ({
  ...profile,
  endpoints: { ...profile.endpoints, referrers: { status: 404, body: { form: "text", text: "404 page not found" } } },
});
