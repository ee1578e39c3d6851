/**
 * Helpers for tests that run inside Chromium: Web APIs only (no node:*), so they prove what a page can do.
 * @module
 */
import { inject } from "vitest";
import { BasicCredential, ContainerRegistryClient, type ContainerRegistryClientOptions } from "../../../src/index";
import type { BrowserServers } from "./servers";

/** The servers global-setup.ts started. */
export function servers(): BrowserServers {
  return inject("servers");
}

/** A client for `url` as the suite's admin user. */
export function adminClient(url: string, options: ContainerRegistryClientOptions = {}): ContainerRegistryClient {
  const { user } = servers();
  return new ContainerRegistryClient(url, new BasicCredential(user.username, user.password), options);
}

/** `sha256:<hex>` by WebCrypto, independent of the client's own hasher. */
export async function sha256(data: Uint8Array<ArrayBuffer> | ArrayBuffer): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return `sha256:${Array.from(hash, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

/** Random bytes of any size (getRandomValues fills at most 64 KiB per call). */
export function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let offset = 0; offset < size; offset += 65_536)
    crypto.getRandomValues(bytes.subarray(offset, Math.min(size, offset + 65_536)));
  return bytes;
}

/**
 * Reads a stream to the end into one array. A reader, not `new Response(stream).arrayBuffer()`: Chromium turns
 * the stream's own error (a DigestValidationError) into "TypeError: Failed to fetch" there.
 */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** A repository name no other test uses. */
export function uniqueRepository(prefix: string): string {
  return `${prefix}/${crypto.randomUUID().slice(0, 8)}`;
}

/** The OCI empty descriptor's content (`{}`), the config of an artifact manifest. */
export const EMPTY_CONFIG = new TextEncoder().encode("{}");
/** The media type of {@link EMPTY_CONFIG}. */
export const EMPTY_MEDIA_TYPE = "application/vnd.oci.empty.v1+json";

/** The engine this suite runs in, from its user agent (Chromium's says "AppleWebKit" too, so it is checked first). */
export function engine(): "chromium" | "firefox" | "webkit" {
  const agent = navigator.userAgent;
  if (/Chrome\//.test(agent)) return "chromium";
  if (/Firefox\//.test(agent)) return "firefox";
  return "webkit";
}
