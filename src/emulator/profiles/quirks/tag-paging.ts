/**
 * Quirks of tags/list paging.
 *
 * - `tagPageLimit` (registry-quirks rows 8, 54): `n` over 1000 gets 400 (ECR's `UNSUPPORTED` "…maxResults…",
 *   distribution 3.1's `PAGINATION_NUMBER_INVALID`).
 * - `tagPageSize(n)` (rows 8, 17, 31): the page size without `n` (100 on ECR and GHCR, 50 on Quay).
 * - `absoluteLinks` (row 8, ECR): the `Link` is an absolute URL.
 * - `tagsExtraFields` (row 28, GAR): tags/list answers carry `child` and `manifest` beside `name` and `tags`.
 * @module
 */
import { ociRefusal, type Quirk } from "../profile";

/** The largest `n` registries take on tags/list. */
export const MAX_TAGS_N = 1000;

/** `n` over 1000 answers 400 with `code`. */
export function tagPageLimit(code: "UNSUPPORTED" | "PAGINATION_NUMBER_INVALID"): Quirk {
  const message =
    code === "UNSUPPORTED"
      ? "Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value less than or equal to 1000'"
      : "invalid number of results requested";
  return (profile) => ({
    ...profile,
    answers: { ...profile.answers, tagsMaxN: { limit: MAX_TAGS_N, refusal: ociRefusal(400, code, message) } },
  });
}

/** tags/list pages hold `n` tags when the request names none. */
export function tagPageSize(n: number): Quirk {
  return (profile) => ({ ...profile, answers: { ...profile.answers, tagsPageSize: n } });
}

/** tags/list `Link`s are absolute URLs. */
export const absoluteLinks: Quirk = (profile) => ({ ...profile, answers: { ...profile.answers, absoluteLinks: true } });

/** tags/list answers carry GAR's extra fields. */
export const tagsExtraFields: Quirk = (profile) => ({
  ...profile,
  answers: { ...profile.answers, tagsExtraFields: true },
});
