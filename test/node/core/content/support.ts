/**
 * Shared setup of the content tests: the two real registries every content method runs against, a client that
 * records its requests, and small byte helpers.
 * @module
 */
import { createHash } from "node:crypto";
import {
  BasicCredential,
  ContainerRegistryClient,
  type ContainerRegistryClientOptions,
  type RequestLogEntry,
} from "../../../../src/index";
import type { EmulatorOptions } from "../../../../src/emulator/index";
import { startDockerRegistry } from "../../../support/docker-registry";
import { startEmulator, type StartedEmulator } from "../../../support/emulator";

/** The registries every content method is tested against. */
export const REGISTRY_KINDS = ["docker-registry", "emulator"] as const;
/** One of {@link REGISTRY_KINDS}. */
export type RegistryKind = (typeof REGISTRY_KINDS)[number];

/** The emulator's user; the emulator requires auth, so its side also exercises the token flow. */
export const EMULATOR_USER = { username: "acrkit", password: "content-tests" };

/** A client plus every request it sent, in order. */
export interface RecordingClient {
  client: ContainerRegistryClient;
  requests: RequestLogEntry[];
}

/** A running registry of either kind. */
export interface TestRegistry {
  kind: RegistryKind;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The emulator, on the emulator side (its request log, its storage origin). */
  emulator?: StartedEmulator;
  /** A client with credentials where the registry needs them, logging every request. */
  connect(options?: ContainerRegistryClientOptions): RecordingClient;
  /** A plain fetch of a registry path, with Basic credentials on the emulator: to look past acrkit at the wire. */
  raw(path: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

/** Starts a registry of the given kind on a loopback port. */
export async function startRegistry(kind: RegistryKind, emulatorOptions: EmulatorOptions = {}): Promise<TestRegistry> {
  if (kind === "docker-registry") {
    const registry = await startDockerRegistry();
    return {
      kind,
      url: registry.url,
      connect: (options) => recordingClient(registry.url, undefined, options),
      raw: (path, init) => fetch(`${registry.url}${path}`, init),
      stop: registry.stop,
    };
  }
  const emulator = await startEmulator({
    users: { [EMULATOR_USER.username]: EMULATOR_USER.password },
    ...emulatorOptions,
  });
  const credential = new BasicCredential(EMULATOR_USER.username, EMULATOR_USER.password);
  const authorization = `Basic ${Buffer.from(`${EMULATOR_USER.username}:${EMULATOR_USER.password}`).toString("base64")}`;
  return {
    kind,
    url: emulator.url,
    emulator,
    connect: (options) => recordingClient(emulator.url, credential, options),
    raw: (path, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set("authorization", authorization);
      return fetch(`${emulator.url}${path}`, { ...init, headers });
    },
    stop: emulator.close,
  };
}

function recordingClient(
  url: string,
  credential: BasicCredential | undefined,
  options: ContainerRegistryClientOptions = {},
): RecordingClient {
  const requests: RequestLogEntry[] = [];
  const logger = options.logger;
  const client = new ContainerRegistryClient(url, credential, {
    ...options,
    logger: (entry) => {
      requests.push(entry);
      logger?.(entry);
    },
  });
  return { client, requests };
}

/**
 * `METHOD status` of the requests that touched an upload session (POST, PATCH, PUT, DELETE on `/blobs/uploads/`).
 * A 401 is the token handshake of a fresh client on the emulator, not part of the transfer, so it is left out.
 */
export function uploadRequests(requests: readonly RequestLogEntry[]): string[] {
  return requests
    .filter((entry) => entry.url.includes("/blobs/uploads/") && entry.status !== 401)
    .map((entry) => `${entry.method} ${entry.status}`);
}

/** The registry API requests, without the token handshake (401 answers and token endpoint requests). */
export function v2Requests(requests: readonly RequestLogEntry[]): RequestLogEntry[] {
  return requests.filter((entry) => new URL(entry.url).pathname.startsWith("/v2/") && entry.status !== 401);
}

/** Polls until `check` passes: for effects that finish after the promise that caused them (a best-effort DELETE). */
export async function eventually(check: () => void, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** Deterministic, non-repeating-looking bytes, so that a misplaced chunk changes the digest. */
export function patterned(size: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(size);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let index = 0; index < size; index++) {
    // xorshift32: cheap, and no period short enough to hide a chunk that went to the wrong offset.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    bytes[index] = state & 0xff;
  }
  return bytes;
}

/** `sha256:<hex>` by node:crypto, independent of acrkit's hashers. */
export function sha256(data: Uint8Array | string): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

/** `sha512:<hex>` by node:crypto. */
export function sha512(data: Uint8Array | string): string {
  return `sha512:${createHash("sha512").update(data).digest("hex")}`;
}

/** Reads a stream to the end into one array. */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of stream as unknown as AsyncIterable<Uint8Array>) parts.push(part);
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * Client options that put a blob of a few MiB on the parallel path: a low threshold, small ranges and window (the
 * download tests and the resume child of test/node/platform/node/download-to-file.test.ts use the same).
 */
export const PARALLEL_OPTIONS: ContainerRegistryClientOptions = {
  parallelDownloadThreshold: 1024 * 1024,
  downloadRangeSize: 256 * 1024,
  downloadWindow: 1024 * 1024,
  maxConnections: 4,
};

/** The path of a blob read at the registry (not a storage redirect's). */
export const BLOB_READ = /\/blobs\/sha256:[0-9a-f]{64}$/;

/** A unique repository name per test, with a slash, so that tests never see each other's blobs. */
let counter = 0;
export function uniqueRepository(prefix = "content"): string {
  counter += 1;
  return `acrkit-tests/${prefix}-${process.pid}-${counter}`;
}

/** Media types the tests build manifests with. */
export const MEDIA = {
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociIndex: "application/vnd.oci.image.index.v1+json",
  ociConfig: "application/vnd.oci.image.config.v1+json",
  ociLayer: "application/vnd.oci.image.layer.v1.tar+gzip",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerList: "application/vnd.docker.distribution.manifest.list.v2+json",
  dockerConfig: "application/vnd.docker.container.image.v1+json",
  dockerLayer: "application/vnd.docker.image.rootfs.diff.tar.gzip",
} as const;

/** What {@link pushImageBlobs} uploaded and the manifest that references it (not yet pushed). */
export interface ImageParts {
  manifest: { schemaVersion: 2; mediaType: string; config: Descriptor; layers: Descriptor[] };
  layers: Uint8Array[];
  config: Uint8Array;
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

/** Uploads a config and layers with acrkit and returns the manifest (OCI or Docker schema 2) that lists them. */
export async function pushImageBlobs(
  client: ContainerRegistryClient,
  repository: string,
  options: { docker?: boolean; architecture?: string; layers?: Uint8Array[]; seed?: number } = {},
): Promise<ImageParts> {
  const seed = options.seed ?? 1;
  const layers = options.layers ?? [patterned(1234, seed), patterned(3001, seed + 1)];
  const config = new TextEncoder().encode(
    JSON.stringify({
      architecture: options.architecture ?? "amd64",
      os: "linux",
      rootfs: { type: "layers", diff_ids: layers.map((layer) => sha256(layer)) },
    }),
  );
  const layerDescriptors: Descriptor[] = [];
  for (const layer of layers) {
    const { digest, size } = await client.uploadBlob(repository, layer);
    layerDescriptors.push({ mediaType: options.docker ? MEDIA.dockerLayer : MEDIA.ociLayer, digest, size });
  }
  const uploaded = await client.uploadBlob(repository, config);
  return {
    manifest: {
      schemaVersion: 2,
      mediaType: options.docker ? MEDIA.dockerManifest : MEDIA.ociManifest,
      config: {
        mediaType: options.docker ? MEDIA.dockerConfig : MEDIA.ociConfig,
        digest: uploaded.digest,
        size: uploaded.size,
      },
      layers: layerDescriptors,
    },
    layers,
    config,
  };
}
