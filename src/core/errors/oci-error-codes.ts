/**
 * The error codes registries send in the `code` of each entry of an `{"errors":[…]}` body: those of the OCI
 * distribution spec's error code table, and the few beyond it that registries acrkit talks to send.
 * @module
 */

/** Error codes a registry sends; compare with {@link RegistryError.hasCode}, which looks at every entry. */
export const OciErrorCode = {
  /** The blob is not in the repository. */
  BLOB_UNKNOWN: "BLOB_UNKNOWN",
  /** The blob upload is invalid: a chunk out of order or of a size the registry takes not. */
  BLOB_UPLOAD_INVALID: "BLOB_UPLOAD_INVALID",
  /** The upload session is unknown to the registry: it expired or was never there. */
  BLOB_UPLOAD_UNKNOWN: "BLOB_UPLOAD_UNKNOWN",
  /** The content does not match the digest given. */
  DIGEST_INVALID: "DIGEST_INVALID",
  /** A blob the manifest references is not in the repository. */
  MANIFEST_BLOB_UNKNOWN: "MANIFEST_BLOB_UNKNOWN",
  /** The manifest is invalid. */
  MANIFEST_INVALID: "MANIFEST_INVALID",
  /** The manifest is not in the repository. */
  MANIFEST_UNKNOWN: "MANIFEST_UNKNOWN",
  /** The repository name is invalid. */
  NAME_INVALID: "NAME_INVALID",
  /** The repository is not known to the registry. */
  NAME_UNKNOWN: "NAME_UNKNOWN",
  /** The content does not match the length given. */
  SIZE_INVALID: "SIZE_INVALID",
  /** Authentication is required. */
  UNAUTHORIZED: "UNAUTHORIZED",
  /** The access is denied. */
  DENIED: "DENIED",
  /** The operation is not supported by this registry. */
  UNSUPPORTED: "UNSUPPORTED",
  /** Too many requests. */
  TOOMANYREQUESTS: "TOOMANYREQUESTS",
  /** Beyond the spec: the tag is not in the repository (ACR's `/acr/v1`). */
  TAG_UNKNOWN: "TAG_UNKNOWN",
  /** Beyond the spec: the range asked for cannot be served (docker-registry's answer to a range past the end). */
  RANGE_INVALID: "RANGE_INVALID",
  /** Beyond the spec: the code docker-registry sends for an unknown error, and the one acrkit gives an entry without a code. */
  UNKNOWN: "UNKNOWN",
} as const;

/** An error code: any string, with the known values suggested. */
export type OciErrorCode = (typeof OciErrorCode)[keyof typeof OciErrorCode] | (string & {});
