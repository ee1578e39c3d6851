/**
 * Shared set-up of the fault tests: a registry (emulator or docker-registry) behind a fault proxy, and clients
 * pointed at the proxy.
 * @module
 */
import { createHash, randomFillSync } from "node:crypto";
import {
  BasicCredential,
  ContainerRegistryClient,
  type ContainerRegistryClientOptions,
} from "../../../src/platform/node/index";
import type { EmulatorOptions } from "../../../src/emulator/index";
import { startEmulator, type StartedEmulator } from "../emulator";
import { startFaultProxy, type FaultProxy, type FaultRule } from "../fault-proxy";
import { SeededRandom } from "./random";

/** The admin user of the emulators the fault tests start. */
export const ADMIN = { username: "admin", password: "fault-suite-password-7f3a" } as const;

/** An emulator behind a fault proxy. */
export interface ProxiedEmulator {
  started: StartedEmulator;
  proxy: FaultProxy;
  /** A client talking to the emulator through the proxy, as the admin user. */
  client(options?: ContainerRegistryClientOptions): ContainerRegistryClient;
  close(): Promise<void>;
}

/** Starts an emulator with the admin user and a fault proxy in front of it. */
export async function startProxiedEmulator(
  seed: number,
  options: EmulatorOptions = {},
  rules: FaultRule[] = [],
): Promise<ProxiedEmulator> {
  const started = await startEmulator({ users: { [ADMIN.username]: ADMIN.password }, ...options });
  const proxy = await startFaultProxy({ upstream: started.url, seed, rules });
  return {
    started,
    proxy,
    client: (clientOptions = {}) =>
      new ContainerRegistryClient(proxy.url, new BasicCredential(ADMIN.username, ADMIN.password), clientOptions),
    async close() {
      await proxy.close();
      await started.close();
    },
  };
}

/** `size` pseudo-random bytes from a seed (random, so that a shifted or repeated range changes the digest). */
export function seededBytes(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  const random = new SeededRandom(seed);
  // Filling with crypto is fast; the seeded header makes the content differ per seed.
  randomFillSync(bytes);
  for (let index = 0; index < Math.min(64, size); index++) bytes[index] = random.int(0, 256);
  return bytes;
}

/** `sha256:<hex>` of bytes. */
export function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/** Reads a stream to its end. */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Bytes the proxy forwarded upstream in requests whose method and path match: what the client really sent. */
export function bytesSent(proxy: FaultProxy, method: string, path: RegExp): number {
  return proxy.log
    .filter((entry) => entry.method === method && path.test(entry.path))
    .reduce((sum, entry) => sum + entry.requestBytes, 0);
}

/** Bytes the proxy forwarded to the client in responses to matching requests. */
export function bytesReceived(proxy: FaultProxy, method: string, path: RegExp): number {
  return proxy.log
    .filter((entry) => entry.method === method && path.test(entry.path))
    .reduce((sum, entry) => sum + entry.responseBytes, 0);
}
