/**
 * Blob upload sessions: chunks received so far, an incremental SHA-256, and the opaque `_state`.
 * @module
 */
import type { IHasher } from "hash-wasm";
import { parseDigest } from "../core/grammar/digest";
import { encodeBase64Url } from "./base64url";
import type { StoredBlob } from "./blobs";
import { createHasher, digestChunks } from "./hashing";

/** The result of {@link UploadSession.append}: whether the body arrived whole. */
export interface AppendResult {
  /** Bytes appended by this call. */
  received: number;
  /** The body errored mid-way (client abort); the bytes that did arrive are kept, as ACR's append blobs do. */
  interrupted: boolean;
}

function newState(): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(24)));
}

/** One upload session. */
export class UploadSession {
  /** The session id, also sent as `Docker-Upload-UUID`. */
  readonly uuid = crypto.randomUUID();
  /** The opaque `_state` of the latest Location; it changes on every successful step. */
  state = newState();
  /** Set while a request is writing, so that two concurrent PATCHes cannot interleave. */
  busy = false;
  readonly #chunks: Uint8Array[] = [];
  #size = 0;

  private constructor(
    readonly repository: string,
    private readonly sha256: IHasher,
  ) {}

  /** Opens a session for a repository. */
  static async open(repository: string): Promise<UploadSession> {
    return new UploadSession(repository, await createHasher("sha256"));
  }

  /** Bytes received so far. */
  get size(): number {
    return this.#size;
  }

  /** The relative Location ACR sends, with the current `_state`. */
  location(): string {
    return `/v2/${this.repository}/blobs/uploads/${this.uuid}?_nouploadcache=false&_state=${this.state}`;
  }

  /** The `Range` header value: `0-<last byte>`, `0-0` while empty (as registries send it). */
  range(): string {
    return `0-${Math.max(0, this.#size - 1)}`;
  }

  /** Issues a new `_state` after a completed step; older ones become stale. */
  advance(): void {
    this.state = newState();
  }

  /** Streams a request body into the session, hashing as it goes. */
  async append(body: ReadableStream<Uint8Array> | null): Promise<AppendResult> {
    if (!body) return { received: 0, interrupted: false };
    const reader = body.getReader();
    let received = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return { received, interrupted: false };
        if (value.byteLength === 0) continue;
        this.#chunks.push(value);
        this.#size += value.byteLength;
        this.sha256.update(value);
        received += value.byteLength;
      }
    } catch {
      return { received, interrupted: true };
    }
  }

  /** The digest of everything received, in the algorithm of `expected`; sha256 is incremental, sha512 a pass over the chunks. */
  async digestLike(expected: string): Promise<string> {
    const algorithm = parseDigest(expected)?.algorithm ?? "sha256";
    return algorithm === "sha256" ? `sha256:${this.sha256.digest("hex")}` : digestChunks(algorithm, this.#chunks);
  }

  /** The finished blob; the session must be dropped afterwards. */
  toBlob(digest: string): StoredBlob {
    return { digest, size: this.#size, chunks: this.#chunks };
  }
}
