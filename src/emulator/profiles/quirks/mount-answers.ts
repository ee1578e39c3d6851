/**
 * Quirks of cross-repository mounts: answers other than 201 for a blob the source holds.
 *
 * - `mountOpensSession` (registry-quirks row 12, ECR): 202 with an upload session (ECR mounts only blobs a manifest
 *   in the source references, and ECR Public did not mount at all).
 * - `mountRefusesForeignPath` (row 20, Docker Hub): a `from` of more than two segments gets 400
 *   `{"details":"invalid repository name"}`, not an OCI error body.
 * - `mountRefusesUnknownProject` (row 35, Harbor): a `from` whose project does not exist gets 401 `UNAUTHORIZED`
 *   "project X not found".
 * @module
 */
import { ociRefusal, type Quirk } from "../profile";

/** Every mount answers 202 with a session. */
export const mountOpensSession: Quirk = (profile) => ({
  ...profile,
  answers: { ...profile.answers, mount: () => "session" },
});

/** A `from` of more than two path segments answers 400 with Docker Hub's `details` body. */
export const mountRefusesForeignPath: Quirk = (profile) => ({
  ...profile,
  answers: {
    ...profile.answers,
    mount: (from, projectExists) =>
      from.split("/").length > 2
        ? { status: 400, body: { form: "details", details: "invalid repository name" } }
        : profile.answers.mount(from, projectExists),
  },
});

/** A `from` whose first segment names no existing project answers 401 "project not found". */
export const mountRefusesUnknownProject: Quirk = (profile) => ({
  ...profile,
  answers: {
    ...profile.answers,
    mount: (from, projectExists) =>
      projectExists
        ? profile.answers.mount(from, projectExists)
        : ociRefusal(401, "UNAUTHORIZED", `project ${from.split("/")[0]} not found`),
  },
});
