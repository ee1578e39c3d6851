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
  /** The body passed the limit; reading stopped there and the caller should {@link UploadSession.restore}. */
  exceeded: boolean;
}

/** Where a session stood before a request, so a refused request leaves no trace. */
export interface Checkpoint {
  chunks: number;
  size: number;
  sha256: Uint8Array;
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
  /** How many requests added bytes so far. */
  writes = 0;
  /** How many bytes the latest of those requests added. */
  lastWrite = 0;
  /** How many PATCHes the session accepted. */
  patches = 0;
  /** The `Range` PATCH answers keep repeating once a profile's Range stalls. */
  stalledRange: string | undefined;
  /** Set when the session is broken beyond repair but still known (a registry that loses cut-off uploads). */
  lost = false;
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

  /** Streams a request body into the session, hashing as it goes; stops reading once more than `limit` bytes came. */
  async append(body: ReadableStream<Uint8Array> | null, limit = Number.POSITIVE_INFINITY): Promise<AppendResult> {
    if (!body) return { received: 0, interrupted: false, exceeded: false };
    const reader = body.getReader();
    let received = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return { received, interrupted: false, exceeded: false };
        if (value.byteLength === 0) continue;
        this.#chunks.push(value);
        this.#size += value.byteLength;
        this.sha256.update(value);
        received += value.byteLength;
        if (received > limit) {
          await reader.cancel();
          return { received, interrupted: false, exceeded: true };
        }
      }
    } catch {
      return { received, interrupted: true, exceeded: false };
    }
  }

  /** Counts a request that added `received` bytes (none: not a write). */
  recordWrite(received: number): void {
    if (received === 0) return;
    this.writes++;
    this.lastWrite = received;
  }

  /** Where the session stands now. */
  checkpoint(): Checkpoint {
    return { chunks: this.#chunks.length, size: this.#size, sha256: this.sha256.save() };
  }

  /** Drops everything appended since the checkpoint. */
  restore(checkpoint: Checkpoint): void {
    this.#chunks.length = checkpoint.chunks;
    this.#size = checkpoint.size;
    this.sha256.load(checkpoint.sha256);
  }

  /** Breaks the session for good and frees its bytes; it stays known so later requests can be told so. */
  lose(): void {
    this.lost = true;
    this.#chunks.length = 0;
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
