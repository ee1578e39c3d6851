/**
 * The shape of a registry profile: what the emulator's routes read to answer like one real registry.
 *
 * A profile is data, never a name the routes test: a route asks "does this registry serve a catalog?" or "which
 * status does a chunk get?", and the profile of the emulator answers. Profiles are built from the ACR profile by
 * quirks (`quirks/`), each one behaviour a client meets on some registry.
 * @module
 */
import type { UploadSession } from "../uploads";

/** A refusal's body: the OCI error JSON, Docker Hub's `{"details"}`, plain text, an HTML page, or nothing. */
export type RefusalBody =
  | { form: "oci"; code: string; message: string }
  | { form: "details"; details: string }
  | { form: "text"; text: string }
  | { form: "html"; title: string }
  | { form: "none" };

/** An answer that refuses a request: its status, body and extra headers. */
export interface Refusal {
  status: number;
  body: RefusalBody;
  headers?: Readonly<Record<string, string>>;
}

/** Why a request that adds bytes to an upload is refused: the status and the OCI error code and message. */
export interface ChunkRefusal {
  status: number;
  code: string;
  message: string;
}

/** How a registry takes blob uploads. */
export interface UploadRules {
  /** Extra headers on the 202 of the POST that opens a session. */
  readonly openHeaders: Readonly<Record<string, string>>;
  /** The `Range` of the POST's 202 for the empty session (`0-0` as distribution; Quay and zot send others). */
  readonly openRange: string;
  /** The largest body one request may carry, in bytes; larger ones get {@link UploadRules.tooLarge}. */
  readonly maxRequestBytes: number;
  /** The answer to a body over {@link UploadRules.maxRequestBytes}. */
  readonly tooLarge: Refusal;
  /** The largest `PATCH` with `Content-Range`, and the answer to a larger one (GHCR's 416); undefined: no cap. */
  readonly chunkCap: { readonly bytes: number; readonly refusal: Refusal } | undefined;
  /** The status of an accepted PATCH: 202 as the spec says, 201 as ECR answers. */
  readonly chunkStatus: 201 | 202;
  /** After this many PATCHes the PATCH's `Range` stops advancing (ECR); undefined: it always tells the truth. */
  readonly rangeStallsAfter: number | undefined;
  /** A PATCH without `Content-Range` after the first write is refused 400 (Gitea). */
  readonly contentRangeAfterFirst: boolean;
  /** The answer to a `PUT` carrying the whole blob in a session without earlier writes (Artifactory); undefined: taken. */
  readonly bodyOnlyPut: Refusal | undefined;
  /** What a request body cut off mid-way does to its session: keep the bytes that arrived, or lose the session. */
  readonly interrupted: "keep" | "lose";
  /** Requests on a session must carry its `_state`; otherwise an absent one is tolerated (the Python SDK drops it). */
  readonly stateRequired: boolean;
  /** Refuses a request adding `size` (> 0) bytes to the session, or returns undefined to accept it. */
  refuseChunk(session: UploadSession, size: number): ChunkRefusal | undefined;
}

/** Which API surfaces the registry serves, and how it refuses the ones it lacks. */
export interface ProfileEndpoints {
  /** ACR's `/acr/v1` metadata API and `/oauth2/exchange`. */
  readonly acrApi: boolean;
  /** The answer to `GET /v2/_catalog`; undefined: served. */
  readonly catalog: Refusal | undefined;
  /** The answer to `GET /v2/<name>/referrers/<digest>`; undefined: served. */
  readonly referrers: Refusal | undefined;
}

/** How the registry challenges and issues tokens. */
export interface ProfileAuth {
  /** The challenge scheme of a 401: Bearer with a token realm, or Basic (ECR). */
  readonly scheme: "Bearer" | "Basic";
  /** The token endpoint takes `POST` (OAuth2); false: only `GET`, a POST answers 404. */
  readonly tokenPost: boolean;
  /** The token answer carries `expires_in`; false: only the token (Gitea). */
  readonly tokenExpiresIn: boolean;
  /** Answers set session cookies, and a write that sends a cookie back gets 403 (Harbor's CSRF check). */
  readonly csrfCookies: boolean;
}

/** What a mount (`POST ?mount=&from=`) gets: linked (201), an upload session (202), or a refusal. */
export type MountAnswer = "link" | "session" | Refusal;

/** How the registry answers reads, deletes, listings and mounts. */
export interface ProfileAnswers {
  /** Manifest GETs carry `Docker-Content-Digest` (HEAD always does). */
  readonly manifestDigestOnGet: boolean;
  /** A manifest PUT without `Content-Length` gets 411 (Nexus). */
  readonly manifestNeedsLength: boolean;
  /** The answer to a manifest DELETE by digest; undefined: deleted. */
  readonly manifestDelete: Refusal | undefined;
  /** The answer to a manifest DELETE by tag; undefined: the tag alone is deleted (OCI 1.1). */
  readonly tagDelete: Refusal | undefined;
  /** A tag `sha256-<hex>` that does not exist resolves to the manifest `sha256:<hex>` (GitLab). */
  readonly dashTagsResolve: boolean;
  /** tags/list page size without `n`; undefined: the emulator's `defaultPageSize`. */
  readonly tagsPageSize: number | undefined;
  /** The largest `n` tags/list takes, and the answer to a larger one; undefined: any `n`. */
  readonly tagsMaxN: { readonly limit: number; readonly refusal: Refusal } | undefined;
  /** The tags/list `Link` is an absolute URL (ECR). */
  readonly absoluteLinks: boolean;
  /** tags/list answers carry non-standard fields beside `name` and `tags` (GAR's `child` and `manifest`). */
  readonly tagsExtraFields: boolean;
  /** The answer to a mount of a blob the source holds, given the `from` repository and whether its first segment exists. */
  mount(from: string, projectExists: boolean): MountAnswer;
  /** Blob GETs (and HEADs, when `head`) answer 307 to storage; `headSigned` false: storage refuses HEAD with 403. */
  readonly blobRedirect: { readonly get: boolean; readonly head: boolean; readonly headAllowed: boolean } | undefined;
  /** Blob GETs are gzip-encoded when the request accepts gzip. */
  readonly gzipBlobs: boolean;
  /** Blob GETs ignore `Range` and answer 200 with the whole blob. */
  readonly rangeIgnored: boolean;
  /** Which requests count against a rate limit (the limit itself is an emulator option); undefined: none. */
  rateCounted(method: string, path: string): boolean;
}

/** Everything one registry profile says, read by the emulator's routes. */
export interface RegistryProfile {
  /** The profile's name, as `createEmulator({ profile })` and `--profile` take it. */
  readonly name: string;
  readonly endpoints: ProfileEndpoints;
  readonly auth: ProfileAuth;
  readonly uploads: UploadRules;
  readonly answers: ProfileAnswers;
}

/** One behaviour of a real registry, applied on top of a profile. */
export type Quirk = (profile: RegistryProfile) => RegistryProfile;

/** Applies quirks in order to a base profile and names the result. */
export function compose(name: string, base: RegistryProfile, ...quirks: Quirk[]): RegistryProfile {
  return { ...quirks.reduce((profile, quirk) => quirk(profile), base), name };
}

/** A refusal in the OCI error format. */
export function ociRefusal(status: number, code: string, message: string, headers?: Record<string, string>): Refusal {
  return { status, body: { form: "oci", code, message }, ...(headers ? { headers } : {}) };
}
