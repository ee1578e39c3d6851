/**
 * Settings of a {@link ContainerRegistryClient}.
 * @module
 */
import type { HasherFactory } from "./digest/hasher";
import type { Logger } from "./http/logger";
import type { RetryOptions } from "./http/retry-policy";
import type { FetchLike } from "./http/fetch-like";
import type { WarningHandler } from "./http/warning";

/** The AAD audience of Azure Container Registry in every cloud. */
export const DEFAULT_AUDIENCE = "https://containerregistry.azure.net";

/** The default upload chunk size, chosen by measurement (bench/README.md). */
export const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;

/** How many transfers multi-blob operations run at once by default. */
export const DEFAULT_CONCURRENCY = 4;

/**
 * Blobs from this size up are downloaded over several connections where that is faster, chosen by measurement
 * (bench/README.md, "Parallel downloads"): below it one connection is as fast.
 */
export const DEFAULT_PARALLEL_DOWNLOAD_THRESHOLD = 32 * 1024 * 1024;

/** The most connections one blob's download opens by default: the six per origin browsers allow over HTTP/1.1. */
export const DEFAULT_DOWNLOAD_CONNECTIONS = 6;

/** The size of one range of a parallel download by default, chosen by measurement (bench/README.md). */
export const DEFAULT_DOWNLOAD_RANGE_SIZE = 8 * 1024 * 1024;

/** The most bytes a parallel download holds out of order by default (bench/README.md, peak RSS). */
export const DEFAULT_DOWNLOAD_WINDOW = 32 * 1024 * 1024;

/** Settings of a client. Unknown keys are a type error. */
export interface ContainerRegistryClientOptions {
  /** The AAD audience; the AAD scope is `${audience}/.default`. Default `https://containerregistry.azure.net`. */
  audience?: string;
  /** A fetch to send requests with, e.g. an emulator's in-process handler. Default `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Retries of idempotent requests: one policy for every request of the client. */
  retry?: RetryOptions;
  /**
   * Per-attempt timeout until the response headers arrive, and the longest pause between two reads of a response body
   * (a stall), in milliseconds, or false. Default 60 000.
   */
  timeout?: number | false;
  /** Appended to the `acrkit/<version>` User-Agent. */
  userAgent?: string;
  /** Receives one line per HTTP request, secrets removed. */
  logger?: Logger;
  /**
   * Uploads in chunks of this many bytes. Without it, acrkit sends each blob in one request wherever the registry
   * takes that, and uses 8 MiB chunks where chunks are needed (see `UploadBlobOptions.chunkSize`).
   */
  chunkSize?: number;
  /** How many transfers multi-blob operations run at once. Default 4. */
  concurrency?: number;
  /**
   * Blobs of at least this many bytes are downloaded over several connections where that raises the throughput.
   * Default 32 MiB.
   */
  parallelDownloadThreshold?: number;
  /**
   * The most connections the client's transfers open at once: a parallel download's ranges and the blobs of a copy or
   * pull share them; 1 turns parallel downloads off. Default 6.
   */
  maxConnections?: number;
  /** The size of one range of a parallel download. Default 8 MiB. */
  downloadRangeSize?: number;
  /** The most bytes a parallel download holds out of order (its memory). Default 32 MiB. */
  downloadWindow?: number;
  /** Hosts besides the registry that may receive credentials as a token realm. */
  trustedRealmHosts?: string[];
  /** The Entra ID tenant for the token exchange, where the credential serves several. */
  tenantId?: string;
  /**
   * Allows credentials over plain `http://` to a host that is not loopback. Off by default: without TLS, a password or
   * token crosses the network in clear text. Loopback (127.0.0.0/8, ::1, localhost) needs no opt-in.
   */
  allowInsecureConnection?: boolean;
  /** Creates the digest hashers; acrkit/node installs node:crypto's by default. */
  hasher?: HasherFactory;
  /**
   * Receives the warnings registries send in `Warning` headers (OCI distribution 1.1, code 299: deprecations,
   * coming limits), each distinct text once per client. A handler that throws does not fail the request.
   */
  onWarning?: WarningHandler;
}
