/**
 * Where the ranges of one blob are read: the storage URL the registry redirected the first read to, resolved once and
 * reused by every range (no registry round trip per range, and no token sent to another origin), and resolved again
 * through the registry when it expires (a signed URL answers 401 or 403). A registry that serves the blob itself is
 * asked directly.
 * @module
 */
import { repositoryScope } from "../auth/scope";
import { discard } from "../http/discard";
import { redactUrl } from "../redaction/redact";
import type { ContentContext } from "./context";
import { blobUrl } from "./blobs";

/** Blob reads ask for the bytes as stored: a gzip transfer encoding would change the length (registry-quirks row 34). */
const IDENTITY = { "accept-encoding": "identity" } as const;

/** What a ranged read came to. */
export type RangeAnswer =
  /** The range, as a 206. */
  | { kind: "range"; response: Response }
  /** The whole blob from byte 0: the server ignored Range (200). */
  | { kind: "whole"; response: Response }
  /** The server refused Range (400, 416) or answered it encoded: only a plain read works. */
  | { kind: "refused" };

/** The blob's URL for ranged reads. */
export class BlobLocation {
  readonly #registryUrl: URL;
  /** The storage URL the registry redirected to, when it is on another origin. */
  #storage: URL | undefined;

  constructor(
    private readonly context: ContentContext,
    readonly repository: string,
    readonly digest: string,
  ) {
    this.#registryUrl = blobUrl(context, repository, digest);
  }

  /** The registry's URL of the blob, for error messages. */
  get url(): string {
    return redactUrl(this.#registryUrl);
  }

  /** Learns the redirect target from a response to the registry's blob URL (`response.url` is where it ended). */
  learn(response: Response): void {
    if (!response.url) return;
    const url = new URL(response.url);
    this.#storage = url.href !== this.#registryUrl.href ? url : undefined;
  }

  /**
   * Reads `[start, end)`, or from `start` to the end when `end` is undefined; `read(0)` sends no Range at all (a server
   * that refuses Range reads the blob this way).
   */
  async read(start: number, end: number | undefined, signal?: AbortSignal): Promise<RangeAnswer> {
    const range = start === 0 && end === undefined ? undefined : `bytes=${start}-${end === undefined ? "" : end - 1}`;
    const headers: Record<string, string> = range ? { ...IDENTITY, range } : { ...IDENTITY };
    const storage = this.#storage;
    if (storage) {
      const request = {
        method: "GET",
        url: storage,
        headers,
        signal,
        stream: true,
        expect: [200, 206, 400, 401, 403, 416],
      } as const;
      // A signed URL on another origin carries its own authorization: the registry's token never goes there.
      const response =
        storage.origin === this.#registryUrl.origin
          ? await this.context.pipeline.send({
              ...request,
              scope: repositoryScope(this.repository, "pull"),
              expect: [200, 206, 400, 403, 416],
            })
          : await this.context.pipeline.sendUnauthorized(request);
      if (response.status !== 401 && response.status !== 403) return answer(response);
      // The signed URL expired (or was revoked): the registry hands out a fresh one with this same read.
      await discard(response);
    }
    const response = await this.context.pipeline.send({
      method: "GET",
      url: this.#registryUrl,
      scope: repositoryScope(this.repository, "pull"),
      headers,
      signal,
      stream: true,
      expect: [200, 206, 400, 416],
    });
    this.learn(response);
    return answer(response);
  }

  /** Reads the blob from the registry's URL, without Range: the first read, whose redirect is learned. */
  async first(signal?: AbortSignal): Promise<Response> {
    const response = await this.context.pipeline.send({
      method: "GET",
      url: this.#registryUrl,
      scope: repositoryScope(this.repository, "pull"),
      headers: { ...IDENTITY },
      signal,
      // Only a stall ends a blob body (the transport's watchdog); its length says nothing about how long it may take.
      stream: true,
      expect: [200, 206],
    });
    this.learn(response);
    return response;
  }
}

async function answer(response: Response): Promise<RangeAnswer> {
  const encoded = (response.headers.get("content-encoding") ?? "identity").toLowerCase() !== "identity";
  if (response.status === 206 && !encoded) return { kind: "range", response };
  // A 200 is the whole blob from byte 0, decoded by fetch if it came encoded: its bytes are the blob's all the same.
  if (response.status === 200) return { kind: "whole", response };
  await discard(response);
  return { kind: "refused" };
}
