/**
 * ACR/OCI error bodies: `{"errors":[{"code","message","detail"}]}`.
 * @module
 */
import { json } from "./http";

/** Builds an error response in the registry's JSON error format. */
export function errorResponse(
  status: number,
  code: string,
  message: string,
  detail?: unknown,
  headers?: HeadersInit,
): Response {
  const error: Record<string, unknown> = { code, message };
  if (detail !== undefined) error.detail = detail;
  return json({ errors: [error] }, status, headers);
}

/** 404 NAME_UNKNOWN, worded as the real ACR answers a missing repository. */
export function nameUnknown(name: string): Response {
  return errorResponse(404, "NAME_UNKNOWN", "repository name not known to registry", { name });
}

/** 400 NAME_INVALID for a repository name outside the OCI grammar. */
export function nameInvalid(name: string): Response {
  return errorResponse(400, "NAME_INVALID", "invalid repository name", { name });
}

/** 404 MANIFEST_UNKNOWN with ACR's wording for tags and a digest detail otherwise. */
export function manifestUnknown(reference: string, byTag: boolean): Response {
  return byTag
    ? errorResponse(404, "MANIFEST_UNKNOWN", `manifest tagged by "${reference}" is not found`, { Tag: reference })
    : errorResponse(404, "MANIFEST_UNKNOWN", "manifest unknown", { Digest: reference });
}

/** 404 TAG_UNKNOWN for the /acr/v1 tag endpoints. */
export function tagUnknown(tag: string): Response {
  return errorResponse(404, "TAG_UNKNOWN", "the specified tag does not exist", { Tag: tag });
}

/** 404 BLOB_UNKNOWN. */
export function blobUnknown(digest: string): Response {
  return errorResponse(404, "BLOB_UNKNOWN", "blob unknown to registry", digest);
}

/** 400 DIGEST_INVALID. */
export function digestInvalid(message: string, detail?: unknown): Response {
  return errorResponse(400, "DIGEST_INVALID", message, detail);
}

/** 404 BLOB_UPLOAD_UNKNOWN for a session id the registry does not know. */
export function uploadUnknown(uuid: string): Response {
  return errorResponse(404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry", uuid);
}

/** 404 BLOB_UPLOAD_INVALID for a session the registry knows but can no longer continue, as distribution answers. */
export function uploadInvalid(uuid: string): Response {
  return errorResponse(404, "BLOB_UPLOAD_INVALID", "blob upload invalid", uuid);
}

/**
 * 405 DENIED for operations blocked by `changeableAttributes`.
 *
 * ACR's exact status for a locked repository, manifest or tag is unverified (reports name 405 or 403); 405 with
 * DENIED matches what the OCI spec suggests for a disallowed operation.
 */
export function denied(): Response {
  return errorResponse(405, "DENIED", "The operation is disallowed on this registry, repository or image.");
}

/** 405 UNSUPPORTED for a known path with a method it does not serve; `Allow` lists the ones it does (RFC 9110 §15.5.6). */
export function methodNotAllowed(method: string, allowed: readonly string[]): Response {
  const message = `the method ${method} is not supported on this endpoint`;
  return errorResponse(405, "UNSUPPORTED", message, undefined, { Allow: allowed.join(", ") });
}

/** The methods some endpoint of the emulator serves; any other is answered 501 whatever the path. */
export const SERVED_METHODS: ReadonlySet<string> = new Set([
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "OPTIONS",
]);

/** 501 UNSUPPORTED for a method no endpoint serves (RFC 9110 §15.6.2: the server does not support it at all). */
export function methodNotImplemented(method: string): Response {
  return errorResponse(501, "UNSUPPORTED", `the method ${method} is not implemented by this registry`);
}

/** 400 INVALID_REQUEST for a request the emulator cannot make sense of: its target, Host, a header or its path. */
export function badRequest(message: string): Response {
  return errorResponse(400, "INVALID_REQUEST", message);
}
