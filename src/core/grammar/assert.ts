/**
 * Input checks that run before any request, so that bad input fails fast with a message naming the value.
 * @module
 */
import { isDigest, looksLikeDigest } from "./digest";
import { isRepositoryName, isTag, MAX_REPOSITORY_NAME_LENGTH } from "./reference";

/** Quotes a user value for an error message, bounded so that a huge value cannot flood a log. */
export function quote(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Throws a TypeError or RangeError unless `name` is a valid repository name. */
export function assertRepositoryName(name: unknown): asserts name is string {
  if (typeof name === "string" && name.length > MAX_REPOSITORY_NAME_LENGTH) {
    throw new RangeError(`Repository name ${quote(name)} is longer than ${MAX_REPOSITORY_NAME_LENGTH} characters`);
  }
  if (!isRepositoryName(name)) {
    throw new TypeError(
      `Invalid repository name ${quote(name)}: use lowercase letters, digits and separators (. _ __ -), with / between path components`,
    );
  }
}

/** Throws a TypeError unless `tag` is a valid tag. */
export function assertTag(tag: unknown): asserts tag is string {
  if (!isTag(tag)) {
    throw new TypeError(`Invalid tag ${quote(tag)}: up to 128 of [A-Za-z0-9_.-], not starting with . or -`);
  }
}

/** Throws a TypeError unless `digest` is a valid sha256 or sha512 digest. */
export function assertDigest(digest: unknown): asserts digest is string {
  if (!isDigest(digest)) {
    throw new TypeError(
      `Invalid digest ${quote(digest)}: expected sha256:<64 lowercase hex> or sha512:<128 lowercase hex>`,
    );
  }
}

/** Throws unless `reference` is a valid tag or digest; returns which one it is. */
export function assertTagOrDigest(reference: unknown): "tag" | "digest" {
  if (typeof reference === "string" && looksLikeDigest(reference)) {
    assertDigest(reference);
    return "digest";
  }
  assertTag(reference);
  return "tag";
}
