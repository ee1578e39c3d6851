/**
 * Repository-name and tag grammar of the OCI distribution spec.
 *
 * Pure functions with no I/O, shared by the client and the emulator.
 * @module
 */

const COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
const REPOSITORY_PATTERN = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const TAG_PATTERN = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

/** The longest repository name the distribution spec allows (host and slash included, 255 in all). */
export const MAX_REPOSITORY_NAME_LENGTH = 255;

/** True when the value is a valid repository name such as `team/app`. */
export function isRepositoryName(value: unknown): value is string {
  return (
    typeof value === "string" &&
    value.length > 0 &&
    value.length <= MAX_REPOSITORY_NAME_LENGTH &&
    REPOSITORY_PATTERN.test(value)
  );
}

/** True when the value is a valid tag such as `v1.2.0`. */
export function isTag(value: unknown): value is string {
  return typeof value === "string" && TAG_PATTERN.test(value);
}
