/**
 * Public types of `acrkit/emulator`.
 * @module
 */
import type { ChangeableAttributes } from "./state";

/** A configured user for Basic auth: a password, or a password with the scopes it may use. */
export type EmulatorUser =
  | string
  | {
      /** The password the user signs in with, by Basic auth or a `grant_type=password` token request. */
      password: string;
      /**
       * Scopes the user may be granted, in challenge grammar (`repository:team/app:pull,push`, `registry:catalog:*`);
       * `*` as a name or action is a wildcard. Absent: everything (an admin user).
       */
      scopes?: string[];
    };

/** Options of {@link createEmulator}; all optional. */
export interface EmulatorOptions {
  /** The login server (the `service` of challenges and tokens, `registry` in /acr/v1). Default: the request's Host. */
  loginServer?: string;
  /** Users for Basic auth (ACR admin user, repository-scoped tokens), by name. */
  users?: Record<string, EmulatorUser>;
  /** Anonymous tokens get pull and metadata_read on every repository and `registry:catalog:*`. Default false. */
  anonymousPull?: boolean;
  /** False makes an open registry that never challenges. Default true. */
  authRequired?: boolean;
  /** Lifetime of access tokens in seconds. Default 3600. */
  accessTokenLifetimeSeconds?: number;
  /** Lifetime of refresh tokens in seconds. Default 3 hours, as ACR's. */
  refreshTokenLifetimeSeconds?: number;
  /** Decides whether an AAD token presented to /oauth2/exchange is valid. Default: any non-empty token. */
  validateAadToken?: (token: string) => boolean | Promise<boolean>;
  /** CORS for browsers: true allows every origin; `{ origins }` only those. Default off, like ACR. */
  cors?:
    | boolean
    | {
        /** The origins allowed, compared exactly with the request's `Origin` header, e.g. `http://localhost:5173`. */
        origins: string[];
      };
  /** Blob GETs answer 307 to a second "storage" origin, as ACR does. Default false. */
  redirectBlobs?: boolean;
  /** Page size for listings when the request has no `n`. Default 100. */
  defaultPageSize?: number;
  /** Milliseconds since the epoch; tests pass a controllable clock. Default `Date.now`. */
  clock?: () => number;
  /**
   * Which registry the emulator answers as: ACR (the default) or another registry with the behaviours its clients
   * meet, so a client can be tested against each without that registry. See {@link RegistryProfile} for each one.
   */
  profile?: RegistryProfile;
  /**
   * Answers 429 `TOOMANYREQUESTS` with `Retry-After` beyond this many requests a second, e.g.
   * `createEmulator({ profile: "docker-hub", rateLimit: { perSecond: 10 } })`. Default: no limit. Token requests
   * and CORS preflights are never counted.
   */
  rateLimit?: RateLimit;
  /**
   * Called with whatever a request handler threw, just before the emulator answers it 500 UNKNOWN. Such a throw
   * is a fault of the emulator, never of the request (bad requests get 4xx answers), so tests can fail on it.
   */
  onError?: (error: unknown) => void;
}

/**
 * The name of a registry profile, for {@link EmulatorOptions.profile}: the emulator answers as that registry does,
 * where clients have met behaviours the OCI spec does not promise (registry-quirks rows, as cited in each profile's
 * module and its tests). Refusals use the registry's own body form (OCI error JSON, Docker Hub's `{"details"}`, a
 * proxy's HTML page, plain text).
 *
 * - `acr` (default): Azure Container Registry within its limits: chunks of any size, a cut-off PATCH keeps its bytes,
 *   `/acr/v1`, `/oauth2/exchange`, the referrers API, tag deletion, `_catalog`.
 * - `distribution`: docker-registry 2.8/3.x: a cut-off PATCH loses the session and `_state` is required (404
 *   `BLOB_UPLOAD_INVALID`); DELETE by tag 400 `DIGEST_INVALID`; tags/list `n` > 1000 400; no referrers API.
 * - `ghcr`: a `Content-Range` PATCH over 4 MiB 416 "…limit of 4.00MiB"; manifest DELETE 405; no referrers API, no
 *   `_catalog`.
 * - `ecr`: PATCH answers 201; chunks of at least 5 MiB but the last; a PATCH `Range` that stops advancing after the
 *   second chunk; manifest GETs without `Docker-Content-Digest`; tags/list `n` > 1000 400 and absolute Links; blob
 *   GETs to storage; a Basic challenge; mounts answer 202.
 * - `docker-hub`: manifest GETs counted by `rateLimit`; blob GETs to storage; a mount from a 3-segment path 400
 *   `{"details"}`; manifest DELETE 405; no `_catalog`, no referrers API.
 * - `gar`: tags/list with extra `child`/`manifest` fields; every request counted by `rateLimit`; no referrers API.
 * - `quay`: the POST's `Range: bytes=0--1`; tag pages of 50; blob GETs gzip-encoded when gzip is accepted.
 * - `harbor`: a mount from an unknown project 401; CSRF cookies (a write sending one back 403); `_catalog` 401; bodies
 *   over 1 MiB 413 with nginx's HTML page and `Connection: close`.
 * - `gitlab`: no referrers API and `sha256-<hex>` tags resolving to the digest; `_catalog` 401; blob HEADs redirected
 *   to storage signed for GET, which answers them 403.
 * - `gitea`: a PATCH without `Content-Range` after the first 400; tokens without `expires_in`; no referrers API.
 * - `artifactory`: a monolithic PUT after the POST 404 `BLOB_UNKNOWN` (PATCH, then PUT, works); blob GETs to storage.
 * - `nexus`: a manifest PUT without `Content-Length` 411; no referrers API.
 * - `zot`: blob GETs ignore `Range` (200 with the whole blob); the POST's `Range: 0--1`.
 * - `single-request`, `chunk-min`, `put-limit`: ACR with one upload behaviour each: one request with bytes per session
 *   (a second gets 416 `BLOB_UPLOAD_INVALID`); ECR's 5 MiB chunk minimum (400 `SIZE_INVALID` after a short chunk);
 *   bodies over 20,000,000 bytes 413 `SIZE_INVALID`.
 *
 * Every profile but `acr` lacks `/acr/v1` and takes token requests by GET only.
 */
export type RegistryProfile =
  | "acr"
  | "distribution"
  | "ghcr"
  | "ecr"
  | "docker-hub"
  | "gar"
  | "quay"
  | "harbor"
  | "gitlab"
  | "gitea"
  | "artifactory"
  | "nexus"
  | "zot"
  | "single-request"
  | "chunk-min"
  | "put-limit";

/** A rate limit, for {@link EmulatorOptions.rateLimit}. */
export interface RateLimit {
  /**
   * Requests allowed in any one second (of those the profile counts: manifest GETs on `docker-hub`, every request
   * elsewhere); beyond it the answer is 429 `TOOMANYREQUESTS` with `Retry-After` in whole seconds.
   */
  perSecond: number;
}

/** How a request authenticated itself, from its Authorization header. */
export type AuthKind = "none" | "basic" | "bearer";

/** One entry of {@link Emulator.requests}. */
export interface RequestLogEntry {
  /** The HTTP method, e.g. `GET` or `PUT`. */
  method: string;
  /** Path and query, e.g. `/acr/v1/_catalog?n=2`. */
  path: string;
  /** The HTTP status the emulator answered with. */
  status: number;
  /** The kind of Authorization header the request carried. */
  auth: AuthKind;
  /** Which origin served it: the registry, or the blob storage origin of redirect mode. */
  origin: "registry" | "storage";
  /** Milliseconds since the epoch, by the emulator's clock. */
  time: number;
}

/** Options of {@link Emulator.listen}. */
export interface ListenOptions {
  /** Port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface; default 127.0.0.1. */
  host?: string;
  /**
   * Milliseconds a whole request (head and body) may take to arrive before it is answered 408 and its connection
   * closed, so a stalled client cannot hold a request open forever. Default 300000 (Node's default); 0 disables.
   */
  requestTimeoutMs?: number;
  /**
   * Serve HTTPS with this key and certificate (PEM) instead of HTTP; the storage origin of redirect mode too.
   * The URLs then start with `https://`; clients must trust the certificate.
   */
  tls?: {
    /** The private key, PEM. */
    key: string | Uint8Array;
    /** The certificate chain, PEM, leaf first. */
    cert: string | Uint8Array;
  };
}

/** A running HTTP server for an emulator. */
export interface EmulatorServer {
  /** The registry URL, e.g. `http://127.0.0.1:41234` (`https://` with {@link ListenOptions.tls}). */
  readonly url: string;
  /** The port the registry listens on. */
  readonly port: number;
  /** The storage origin of redirect mode, e.g. `http://127.0.0.1:41235`; absent otherwise. */
  readonly storageUrl?: string;
  /** Stops listening and closes every connection, idle keep-alive ones included. */
  close(): Promise<void>;
}

/** Selects what {@link Emulator.setAttributes} changes: a repository, or a tag or manifest in it. */
export interface AttributeTarget {
  /** The repository name; alone, it selects the repository itself. */
  repository: string;
  /** A tag in the repository; takes precedence over `digest` when both are given. */
  tag?: string;
  /** The digest of a manifest in the repository. */
  digest?: string;
}

/** Options of {@link Emulator.seedImage}. */
export interface SeedImageOptions {
  /** The repository to push to; created if it does not exist. */
  repository: string;
  /** Tags to point at the manifest. Default none. */
  tags?: string[];
  /** Default `amd64`. */
  architecture?: string;
  /** Default `linux`. */
  os?: string;
  /** The CPU variant, e.g. `v8`; left out of the config by default. */
  variant?: string;
  /** Layer contents, or how many small distinct layers to make. Default 1. */
  layers?: Uint8Array[] | number;
  /** Extra fields merged into the config JSON. */
  config?: Record<string, unknown>;
  /** OCI (default) or Docker schema 2. */
  mediaType?: "oci" | "docker";
  /** Annotations on the manifest. */
  annotations?: Record<string, string>;
}

/** What {@link Emulator.seedImage} pushed. */
export interface SeededImage {
  /** The digest of the image manifest. */
  digest: string;
  /** The manifest's media type: OCI image manifest, or Docker schema 2. */
  mediaType: string;
  /** The size of the manifest in bytes. */
  size: number;
  /** The digest of the config blob. */
  configDigest: string;
  /** The digests of the layer blobs, in manifest order. */
  layerDigests: string[];
}

/** Options of {@link Emulator.seedIndex}. */
export interface SeedIndexOptions {
  /** The repository to push to; created if it does not exist. */
  repository: string;
  /** Tags to point at the index. Default none. */
  tags?: string[];
  /** Platforms to build an image for. Default linux/amd64 and linux/arm64. */
  platforms?: Array<{
    /** The platform's CPU architecture, e.g. `arm64`. */
    architecture: string;
    /** The platform's operating system, e.g. `linux`. */
    os: string;
    /** The platform's CPU variant, e.g. `v8`. */
    variant?: string;
  }>;
  /** OCI index (default) or Docker manifest list. */
  mediaType?: "oci" | "docker";
}

/** What {@link Emulator.seedIndex} pushed. */
export interface SeededIndex {
  /** The digest of the index (or manifest list). */
  digest: string;
  /** The index's media type: OCI image index, or Docker manifest list. */
  mediaType: string;
  /** The size of the index in bytes. */
  size: number;
  /** The images pushed for its platforms, in the order of `platforms`. */
  manifests: SeededImage[];
}

/** Options of {@link Emulator.seedManifest}. */
export interface SeedManifestOptions {
  /** The repository to store it in; created if it does not exist. */
  repository: string;
  /** An object (serialized once with JSON.stringify), or exact bytes or text. */
  manifest: object | Uint8Array | string;
  /** Default: the manifest's own `mediaType`, else the OCI image manifest type. */
  mediaType?: string;
  /** Tags to point at the manifest. Default none. */
  tags?: string[];
}

/** An in-memory ACR-compatible registry. */
export interface Emulator {
  /** The Web-standard handler: usable in-process as a client's `fetch`. */
  fetch(request: Request): Promise<Response>;
  /**
   * Serves the emulator over HTTP, or HTTPS with {@link ListenOptions.tls} (Node `node:http`, `node:https`).
   *
   * No request can stop it: a malformed one (bad Host or target, unknown method, oversized headers, bad
   * framing, a body cut off) gets a 4xx or 5xx answer, in the OCI error JSON, and the server keeps serving.
   */
  listen(options?: ListenOptions): Promise<EmulatorServer>;
  /** Every request served so far, oldest first (a live array). */
  readonly requests: readonly RequestLogEntry[];
  /** Empties {@link Emulator.requests}. */
  clearRequests(): void;
  /** Stores a blob in a repository; returns its digest. */
  seedBlob(repository: string, data: Uint8Array | string): Promise<string>;
  /** Stores a manifest (its blobs and children must be seeded first) and tags it. */
  seedManifest(options: SeedManifestOptions): Promise<{
    /** The digest of the manifest bytes as stored. */
    digest: string;
    /** The media type it was stored with. */
    mediaType: string;
    /** The size of the manifest in bytes. */
    size: number;
  }>;
  /** Pushes a small runnable-looking image: layers, a config with platform, a manifest, tags. */
  seedImage(options: SeedImageOptions): Promise<SeededImage>;
  /** Pushes one image per platform and an index (or manifest list) over them. */
  seedIndex(options: SeedIndexOptions): Promise<SeededIndex>;
  /** Creates `count` repositories (`${prefix}000`, `${prefix}001`, …) with one tagged image each; returns their names. */
  seedRepositories(count: number, options?: { prefix?: string; tags?: string[] }): Promise<string[]>;
  /** Changes `changeableAttributes` of a repository, a tag or a manifest directly. */
  setAttributes(target: AttributeTarget, attributes: Partial<ChangeableAttributes>): void;
}

export type { ChangeableAttributes };
