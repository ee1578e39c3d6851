/**
 * Registry profiles: the upload rules that make the emulator behave like ACR, distribution, ghcr.io or ECR.
 *
 * {@link RegistryProfile} documents each profile's behaviour as a client sees it.
 * @module
 */
import type { RegistryProfile } from "./types";
import type { UploadSession } from "./uploads";

/** Why a request that adds bytes to an upload is refused: the status and the OCI error code and message. */
export interface ChunkRefusal {
  status: number;
  code: string;
  message: string;
}

/** How one profile treats blob upload requests. */
export interface UploadRules {
  /** Extra headers on the 202 of the POST that opens a session. */
  readonly openHeaders: Readonly<Record<string, string>>;
  /** The largest body one request may carry, in bytes; larger ones are answered 413. */
  readonly maxRequestBytes: number;
  /** What a request body cut off mid-way does to its session: keep the bytes that arrived, or lose the session. */
  readonly interrupted: "keep" | "lose";
  /** Requests on a session must carry its `_state`; otherwise an absent one is tolerated (the Python SDK drops it). */
  readonly stateRequired: boolean;
  /** Refuses a request adding `size` (> 0) bytes to the session, or returns undefined to accept it. */
  refuseChunk(session: UploadSession, size: number): ChunkRefusal | undefined;
}

/** ECR's S3 multipart part size: every chunk but the last must be at least this long. */
export const CHUNK_MIN_LENGTH = 5 * 1024 * 1024;

/** The body size over which the `put-limit` profile answers 413, as ACR is reported to. */
export const PUT_LIMIT_BYTES = 20_000_000;

const ACR: UploadRules = {
  openHeaders: {},
  maxRequestBytes: Number.POSITIVE_INFINITY,
  interrupted: "keep",
  stateRequired: false,
  refuseChunk: () => undefined,
};

const PROFILES: Readonly<Record<RegistryProfile, UploadRules>> = {
  acr: ACR,
  distribution: { ...ACR, interrupted: "lose", stateRequired: true },
  "single-request": {
    ...ACR,
    refuseChunk: (session) =>
      session.writes === 0
        ? undefined
        : { status: 416, code: "BLOB_UPLOAD_INVALID", message: "this registry takes the blob's bytes in one request only" },
  },
  "chunk-min": {
    ...ACR,
    openHeaders: { "OCI-Chunk-Min-Length": String(CHUNK_MIN_LENGTH) },
    refuseChunk: (session) =>
      session.writes === 0 || session.lastWrite >= CHUNK_MIN_LENGTH
        ? undefined
        : {
            status: 400,
            code: "SIZE_INVALID",
            message: `the previous chunk of ${session.lastWrite} bytes was shorter than ${CHUNK_MIN_LENGTH} bytes, so it had to be the last`,
          },
  },
  "put-limit": { ...ACR, maxRequestBytes: PUT_LIMIT_BYTES },
};

/** Every profile name, for validation and the CLI's help. */
export const PROFILE_NAMES = Object.keys(PROFILES) as RegistryProfile[];

/** The upload rules of a profile (default `acr`); a TypeError names an unknown profile. */
export function uploadRules(profile: RegistryProfile | undefined): UploadRules {
  const name = profile ?? "acr";
  if (!Object.hasOwn(PROFILES, name)) {
    throw new TypeError(`unknown emulator profile "${String(name)}"; expected one of ${PROFILE_NAMES.join(", ")}`);
  }
  return PROFILES[name];
}
