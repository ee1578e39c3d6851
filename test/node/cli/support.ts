/**
 * Running `acrkit` in-process against real registries on loopback: an io that keeps stdout and stderr, a fetch that
 * counts what reaches each registry, and the 2-platform index of the CLI targets (12 blobs, 3 manifests).
 * @module
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Emulator } from "../../../src/emulator/index";
import type { FetchLike } from "../../../src/index";
import type { CliIo, OutputStream } from "../../../src/cli/io";
import { main } from "../../../src/cli/main";
import { credentialHelper } from "../../../src/cli/credential-helper";

/** What a run wrote and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout as bytes (inspect --raw, blob get -). */
  stdoutBytes: Uint8Array;
}

function memoryStream(isTTY: boolean, events?: string[], name = "stdout"): OutputStream & { chunks: Uint8Array[] } {
  const chunks: Uint8Array[] = [];
  return {
    chunks,
    isTTY,
    columns: 100,
    async write(chunk) {
      events?.push(name);
      chunks.push(typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk.slice());
    },
    writable: () => new WritableStream<Uint8Array>({ write: (chunk) => void chunks.push(chunk.slice()) }),
  };
}

/** Options of a run. */
export interface RunOptions {
  env?: Record<string, string | undefined>;
  /** Bytes or text on stdin. */
  stdin?: Uint8Array | string;
  /** stderr (and stdin) as a terminal. */
  tty?: boolean;
  fetch?: FetchLike;
  /** The answer to a confirmation question. */
  confirm?: boolean;
  now?: () => number;
  /** Receives "stdout" at each write to stdout, for ordering checks against requests. */
  events?: string[];
  /** Stands for SIGINT. */
  signal?: AbortSignal;
}

/** A docker config directory of its own, so no run reads the machine's. */
export function emptyDockerConfig(): string {
  return mkdtempSync(join(tmpdir(), "acrkit-cli-docker-"));
}

function memoryIo(options: RunOptions) {
  const stdout = memoryStream(false, options.events);
  const stderr = memoryStream(options.tty ?? false);
  const input =
    typeof options.stdin === "string" ? new TextEncoder().encode(options.stdin) : (options.stdin ?? new Uint8Array());
  const io: CliIo = {
    stdout,
    stderr,
    stdin: () => new Blob([input as BlobPart]).stream(),
    stdinIsTTY: options.tty ?? false,
    confirm: async () => options.confirm ?? false,
    env: { DOCKER_CONFIG: emptyDockerConfig(), ...options.env },
    signal: options.signal ?? new AbortController().signal,
    now: options.now ?? (() => Date.now()),
  };
  return { io, stdout, stderr };
}

function collect(code: number, stdout: { chunks: Uint8Array[] }, stderr: { chunks: Uint8Array[] }): CliRun {
  const bytes = new Uint8Array(Buffer.concat(stdout.chunks));
  return {
    code,
    stdout: new TextDecoder().decode(bytes),
    stderr: Buffer.concat(stderr.chunks).toString("utf8"),
    stdoutBytes: bytes,
  };
}

/** Runs `acrkit ARGV…` in-process. */
export async function runCli(argv: string[], options: RunOptions = {}): Promise<CliRun> {
  const { io, stdout, stderr } = memoryIo(options);
  const code = await main(argv, io, options.fetch ? { fetch: options.fetch } : {});
  return collect(code, stdout, stderr);
}

/** Runs `docker-credential-acrkit ARGV…` in-process. */
export async function runHelper(argv: string[], options: RunOptions = {}): Promise<CliRun> {
  const { io, stdout, stderr } = memoryIo(options);
  const code = await credentialHelper(argv, io, options.fetch ? { fetch: options.fetch } : {});
  return collect(code, stdout, stderr);
}

/** The user the CLI tests log in with (ACRKIT_USERNAME/ACRKIT_PASSWORD). */
export const CLI_USER = { username: "cli-user", password: "cli-password-not-to-leak-7f3a" } as const;

/** The environment that logs in as {@link CLI_USER}. */
export function userEnv(): Record<string, string> {
  return { ACRKIT_USERNAME: CLI_USER.username, ACRKIT_PASSWORD: CLI_USER.password };
}

/** Pushes the target image: an index of 2 platforms, each a config and 5 layers: 12 blobs, 3 manifests. */
export async function seedTwoPlatformIndex(
  emulator: Emulator,
  repository: string,
  tag: string,
): Promise<{ digest: string; blobs: string[] }> {
  const images = await Promise.all(
    (["amd64", "arm64"] as const).map((architecture) =>
      emulator.seedImage({
        repository,
        architecture,
        layers: Array.from({ length: 5 }, (_, i) =>
          new TextEncoder().encode(`${architecture} layer ${i} ${repository}`),
        ),
      }),
    ),
  );
  const index = {
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.index.v1+json",
    manifests: images.map((image, i) => ({
      mediaType: image.mediaType,
      digest: image.digest,
      size: image.size,
      platform: { os: "linux", architecture: i === 0 ? "amd64" : "arm64" },
    })),
  };
  const { digest } = await emulator.seedManifest({ repository, manifest: index, tags: [tag] });
  return { digest, blobs: images.flatMap((image) => [image.configDigest, ...image.layerDigests]) };
}

/** The emulator's log since `from`: registry requests and authentication requests apart, and blob bytes sent. */
export function countRequests(emulator: Emulator, from = 0) {
  const entries = emulator.requests.slice(from);
  const auth = entries.filter((entry) => entry.path.startsWith("/oauth2/") || entry.status === 401);
  const registry = entries.filter((entry) => !auth.includes(entry));
  const blobWrites = registry.filter(
    (entry) => /\/blobs\/uploads\//.test(entry.path) && (entry.method === "PUT" || entry.method === "PATCH"),
  );
  return { auth, registry, blobWrites };
}
