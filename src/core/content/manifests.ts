/**
 * `setManifest`, `getManifest` and `deleteManifest` over `/v2/<name>/manifests/<reference>`.
 * @module
 */
import { repositoryScope } from "../auth/scope";
import { digestOf } from "../digest/hasher";
import { DigestValidationError } from "../errors/digest-validation-error";
import { OciErrorCode } from "../errors/oci-error-codes";
import { RegistryError } from "../errors/registry-error";
import { UnsupportedOperationError } from "../errors/unsupported-operation-error";
import { looksLikeDigest, parseDigest } from "../grammar/digest";
import { readUpTo } from "../http/read-body";
import { redactUrl } from "../redaction/redact";
import { KnownManifestMediaType } from "../models/enums";
import { discard } from "../http/discard";
import type { ResponseReader } from "../http/requester";
import { registryUrl, type OperationContext, type OperationOptions } from "../operation-context";
import { deleteResource } from "../resources/resource-requests";
import type { ContentContext } from "./context";
import { MAX_MANIFEST_SIZE } from "./manifest-size";
import { jsonObjectProblem, parseJsonObject } from "../utils/json-object";

/** Every manifest type acrkit reads; registries such as distribution 2.8 refuse types missing here. */
export const MANIFEST_ACCEPT = Object.values(KnownManifestMediaType).join(", ");

/** Options of `setManifest`. */
export interface SetManifestOptions extends OperationOptions {
  /** Tags the manifest; without it the manifest is stored by digest only. */
  tag?: string;
  /** The media type; by default the manifest's own `mediaType`, else the OCI image manifest type. */
  mediaType?: string;
}

/** What `getManifest` returns. */
export interface GetManifestResult {
  /** The parsed manifest. */
  manifest: Record<string, unknown>;
  /** The manifest's media type, from the response's Content-Type. */
  mediaType: string;
  /** The manifest's digest, verified against the bytes received. */
  digest: string;
  /** The exact bytes, whose digest is `digest`. */
  bytes: Uint8Array;
}

/** Serializes and checks a manifest before any request: its bytes, media type and digest. */
export async function prepareManifest(
  context: ContentContext,
  manifest: object | Uint8Array | string,
  mediaType: string | undefined,
): Promise<PreparedManifest> {
  const bytes = manifestBytes(manifest);
  if (bytes.byteLength > MAX_MANIFEST_SIZE) {
    throw new RangeError(`The manifest is ${bytes.byteLength} bytes, over the ${MAX_MANIFEST_SIZE}-byte limit`);
  }
  const parsed = parseManifestJson(bytes);
  const ownType = typeof parsed.mediaType === "string" ? parsed.mediaType : undefined;
  return {
    bytes,
    manifest: parsed,
    mediaType: mediaType ?? ownType ?? KnownManifestMediaType.OciImageManifest,
    digest: await digestOf(context.hasherFactory, "sha256", bytes),
  };
}

/** A manifest ready to send: its exact bytes, their parse, media type and digest. */
export interface PreparedManifest {
  /** The exact bytes that are sent. */
  bytes: Uint8Array;
  /** The bytes parsed, to read fields such as `subject` from. */
  manifest: Record<string, unknown>;
  /** The media type sent as Content-Type: the caller's, else the manifest's own `mediaType`, else OCI's image manifest. */
  mediaType: string;
  /** The digest of `bytes`. */
  digest: string;
}

/** What the registry said when it stored a manifest. */
export interface StoredManifest {
  digest: string;
  /** The `OCI-Subject` header: the registry indexed the manifest's `subject` for the referrers API. */
  ociSubject: string | undefined;
}

/** PUTs a prepared manifest, checks the registry computed the same digest, and returns its `OCI-Subject` answer. */
export async function storeManifest(
  context: ContentContext,
  repository: string,
  prepared: PreparedManifest,
  options: SetManifestOptions = {},
): Promise<StoredManifest> {
  const response = await context.pipeline.send({
    method: "PUT",
    url: manifestUrl(context, repository, options.tag ?? prepared.digest),
    scope: repositoryScope(repository, "pull", "push"),
    headers: { "content-type": prepared.mediaType },
    body: prepared.bytes as BodyInit,
    signal: options.signal,
    expect: [200, 201],
  });
  await discard(response);
  const serverDigest = response.headers.get("docker-content-digest");
  if (serverDigest && serverDigest !== prepared.digest) {
    throw new DigestValidationError(
      prepared.digest,
      serverDigest,
      `The registry computed ${serverDigest} for the manifest, but its content is ${prepared.digest}`,
    );
  }
  return { digest: prepared.digest, ociSubject: response.headers.get("oci-subject") ?? undefined };
}

/** Fetches a manifest by tag or digest and verifies its digest. */
export async function getManifest(
  context: ContentContext,
  repository: string,
  tagOrDigest: string,
  options: OperationOptions = {},
): Promise<GetManifestResult> {
  const url = manifestUrl(context, repository, tagOrDigest);
  // The body is read within the request's retries: a manifest cut off mid-way is fetched again.
  const { bytes, headers } = await requestManifest(
    context,
    repository,
    tagOrDigest,
    "GET",
    [200],
    options.signal,
    async (response) => ({
      bytes: await readManifestBody(response, url),
      headers: response.headers,
    }),
  );
  const headerDigest = headers.get("docker-content-digest") ?? undefined;
  const digest = await checkManifestDigest(
    context,
    bytes,
    looksLikeDigest(tagOrDigest) ? tagOrDigest : undefined,
    headerDigest,
  );
  const manifest = parseManifestJson(bytes);
  const contentType = headers.get("content-type")?.split(";")[0]?.trim();
  const mediaType =
    (typeof manifest.mediaType === "string" ? manifest.mediaType : undefined) ??
    contentType ??
    KnownManifestMediaType.OciImageManifest;
  return { manifest, mediaType, digest, bytes };
}

/**
 * Deletes a manifest by digest, or by tag after resolving it. A missing one is not an error, by digest or by tag, as
 * for `deleteTag` and `deleteRepository`.
 */
export async function deleteManifest(
  context: ContentContext,
  repository: string,
  tagOrDigest: string,
  options: OperationOptions = {},
): Promise<void> {
  const digest = looksLikeDigest(tagOrDigest)
    ? tagOrDigest
    : await resolveManifestDigest(context, repository, tagOrDigest, options);
  if (digest === undefined) return;
  try {
    await deleteResource(context, manifestUrl(context, repository, digest), repository, options);
  } catch (error) {
    // GHCR and Docker Hub delete only through their own web APIs and answer 405 (registry-quirks rows 16, 21); a 405
    // DENIED is a lock or a read-only registry (ACR, Quay row 34), which the caller can change: it stays as answered.
    const unsupported =
      error instanceof RegistryError &&
      !error.hasCode(OciErrorCode.DENIED) &&
      (error.statusCode === 405 || error.hasCode(OciErrorCode.UNSUPPORTED));
    if (unsupported) {
      throw new UnsupportedOperationError(
        "deleteManifest",
        context.loginServer,
        "does not delete manifests through the OCI API",
        { cause: error },
      );
    }
    throw error;
  }
}

/** Resolves a tag to its manifest digest with a HEAD, which every OCI registry answers; undefined for a missing tag. */
export async function resolveManifestDigest(
  context: ContentContext,
  repository: string,
  tag: string,
  options: OperationOptions = {},
): Promise<string | undefined> {
  const response = await requestManifest(context, repository, tag, "HEAD", [200, 404], options.signal);
  await discard(response);
  if (response.status === 404) return undefined;
  const digest = response.headers.get("docker-content-digest");
  if (parseDigest(digest)) return digest!;
  // A registry that does not say the digest on HEAD still says it with the body.
  return (await getManifest(context, repository, tag, options)).digest;
}

/**
 * Asks for a manifest (GET) or its headers (HEAD) with the pull scope and every known media type in `Accept`:
 * distribution 2.8 answers 404 for an OCI manifest whose type is missing from `Accept`.
 */
export function requestManifest<T = Response>(
  context: OperationContext,
  repository: string,
  reference: string,
  method: "GET" | "HEAD",
  expect: readonly number[],
  signal?: AbortSignal,
  read: ResponseReader<T> = (response) => response as T,
): Promise<T> {
  const request = {
    method,
    url: manifestUrl(context, repository, reference),
    scope: repositoryScope(repository, "pull"),
    headers: { accept: MANIFEST_ACCEPT },
    signal,
    expect,
  };
  return context.pipeline.read(request, read);
}

/** The URL of a manifest. */
export function manifestUrl(context: OperationContext, repository: string, reference: string): URL {
  return registryUrl(context, `/v2/${repository}/manifests/${reference}`);
}

async function checkManifestDigest(
  context: ContentContext,
  bytes: Uint8Array,
  requested: string | undefined,
  fromHeader: string | undefined,
): Promise<string> {
  const expected = requested ?? fromHeader;
  const algorithm = parseDigest(expected)?.algorithm ?? "sha256";
  const actual = await digestOf(context.hasherFactory, algorithm, bytes);
  if (requested && actual !== requested) {
    throw new DigestValidationError(requested, actual, `The manifest received for ${requested} has digest ${actual}`);
  }
  if (fromHeader && parseDigest(fromHeader)?.algorithm === algorithm && fromHeader !== actual) {
    throw new DigestValidationError(
      fromHeader,
      actual,
      `The registry says the manifest is ${fromHeader}, but its content is ${actual}`,
    );
  }
  return actual;
}

async function readManifestBody(response: Response, url: URL): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  const { bytes, complete } =
    declared > MAX_MANIFEST_SIZE ? { bytes: undefined, complete: false } : await readUpTo(response, MAX_MANIFEST_SIZE);
  if (!bytes || !complete) {
    await discard(response);
    throw new RangeError(`The manifest at ${redactUrl(url)} is over the ${MAX_MANIFEST_SIZE}-byte limit`);
  }
  return bytes;
}

function manifestBytes(manifest: object | Uint8Array | string): Uint8Array {
  if (manifest instanceof Uint8Array) return manifest;
  if (typeof manifest === "string") return new TextEncoder().encode(manifest);
  if (typeof manifest === "object" && manifest !== null) return new TextEncoder().encode(JSON.stringify(manifest));
  throw new TypeError(
    `A manifest must be an object, a Uint8Array or a string, got ${manifest === null ? "null" : typeof manifest}`,
  );
}

/** Parses manifest bytes as a JSON object; anything else is refused with a TypeError. */
export function parseManifestJson(bytes: Uint8Array): Record<string, unknown> {
  const parsed = parseJsonObject(bytes);
  if (parsed === undefined) throw new TypeError(`The manifest is ${jsonObjectProblem(bytes)}`);
  return parsed;
}
