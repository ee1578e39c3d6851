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
   * How blob uploads behave: like ACR (the default) or like another registry's known limits, so a client can be
   * tested against each without that registry. See {@link RegistryProfile} for what each one does.
   */
  profile?: RegistryProfile;
  /**
   * Called with whatever a request handler threw, just before the emulator answers it 500 UNKNOWN. Such a throw
   * is a fault of the emulator, never of the request (bad requests get 4xx answers), so tests can fail on it.
   */
  onError?: (error: unknown) => void;
}

/**
 * The upload behaviour of a real registry, for {@link EmulatorOptions.profile}. Everything but blob uploads is the
 * same in every profile; refusals use the OCI error body `{"errors":[{"code","message","detail"}]}`.
 *
 * - `acr` (default): Azure Container Registry as it answers a client that stays within its limits. Any number of
 *   PATCH chunks of any size; a PATCH cut off mid-body keeps the bytes that arrived, so a client resumes from the
 *   `Range` of `GET` on the upload URL; no limit on one request's body.
 * - `distribution`: the CNCF distribution registry 2.8.2 (docker-registry). A PATCH whose body is cut off mid-way
 *   loses the session: the stored size no longer matches the offset its `_state` records, and every later
 *   request on that upload (GET, PATCH, PUT, DELETE) answers 404 `BLOB_UPLOAD_INVALID`, as docker-registry
 *   2.8.2 does; the client must start a new upload. Every request on an upload must also carry the `_state` of its
 *   Location: without it, 404 `BLOB_UPLOAD_INVALID` (the session itself is unaffected).
 * - `single-request`: registries that take a blob's bytes in one request only (GitHub's ghcr.io, Google Artifact
 *   Registry, as their users report). One PATCH, or the body of the closing PUT, or a single POST with `?digest=`,
 *   carries the data; a second request with body bytes (a second PATCH, or a PUT with a body after a PATCH) answers
 *   416 `BLOB_UPLOAD_INVALID` with `Range` and `Location` of the session, which stays usable for a PUT without a
 *   body. A `Content-Range` that does not start at 0 is refused 416 as in every profile (chunks must continue the
 *   upload, and there is nothing to continue from).
 * - `chunk-min`: Amazon ECR, whose uploads are S3 multipart uploads. The POST that opens a session answers
 *   `OCI-Chunk-Min-Length: 5242880`; every chunk but the last must be at least that long. A chunk shorter than that
 *   is accepted (it may be the last one), but a later request carrying more bytes (PATCH or a PUT with a body)
 *   answers 400 `SIZE_INVALID` and is not stored. So 5 MiB chunks with a small remainder in the PATCH before an
 *   empty PUT, or in the PUT itself, work; a short middle chunk makes the upload unfinishable except by a PUT
 *   without a body. (ECR's own error code for this is not documented; `SIZE_INVALID` is the OCI code for it.)
 * - `put-limit`: ACR behind its request-size limit, as users report 413 for large single-request pushes. Any one
 *   request (monolithic PUT, PATCH, single POST) whose body is over 20,000,000 bytes answers 413 `SIZE_INVALID`
 *   and stores nothing: known from `Content-Length` before the body is read, else when the streamed body passes the
 *   limit. Chunks up to the limit work.
 */
export type RegistryProfile = "acr" | "distribution" | "single-request" | "chunk-min" | "put-limit";

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
