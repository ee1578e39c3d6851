/**
 * Every kind of data `uploadBlob` accepts, read as a sequence of bounded chunks.
 * @module
 */

/** Data that can be read at any offset and so re-read after a failure: a file, say (acrkit/node's `fileSource`). */
export interface RandomAccessSource {
  /** The total size in bytes. */
  readonly size: number;
  /** Reads `length` bytes from `offset` (fewer only at the end). */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Optionally, reads from `offset` into `target` and returns how many bytes it wrote (fewer only at the end). With
   * it, an upload reuses a few chunk buffers instead of allocating one per chunk.
   */
  readInto?(offset: number, target: Uint8Array): Promise<number>;
}

/**
 * A stream whose size is known in advance, e.g. the body of a download being copied: progress then has a total,
 * and a stream that ends early or runs long is refused instead of uploaded.
 */
export interface SizedStreamSource {
  /** The content to upload; read once, from start to end. */
  readonly stream: ReadableStream<Uint8Array>;
  /** The exact number of bytes the stream yields. */
  readonly size: number;
}

/** What `uploadBlob` accepts. Blob covers the browser's File. */
export type BlobSource =
  | Blob
  | SizedStreamSource
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>
  | Uint8Array
  | ArrayBuffer
  | string
  | RandomAccessSource;

/** A source read in chunks of one size. */
export interface ChunkedSource {
  /** The total size, when known before reading. */
  readonly size: number | undefined;
  /** Whether reading can start again at an earlier offset (false for streams). */
  readonly rereadable: boolean;
  /** The whole content when it already sits in memory, so its digest is cheap to know first. */
  readonly bytes: Uint8Array | undefined;
  /** The content when it is a Blob (a browser's File), which fetch can send as it is, read from disk on the way. */
  readonly blob: Blob | undefined;
  /**
   * Yields chunks of exactly `chunkSize` bytes (the last may be shorter) from `offset`. A chunk may live in one of
   * `buffers` reused buffers (default 2): it stays valid while the next `buffers - 1` chunks are pulled, and is
   * overwritten after that; with `buffers` 0 every chunk is new and never written again.
   *
   * A one-shot source reads on from where the last read stopped, after the chunks given back with `unread`.
   */
  chunks(chunkSize: number, offset?: number, buffers?: number): AsyncIterable<Uint8Array>;
  /** One-shot sources: chunks already read (and kept by the caller) to be read again before the rest of the stream. */
  unread(chunks: Uint8Array[]): void;
  /**
   * Ends a read that is still waiting on the caller's stream and releases it. After an abort, a stalled stream
   * would otherwise keep the upload's iterator (and the caller's stream lock) pending forever.
   */
  release(reason?: unknown): Promise<void>;
}

/** Wraps any {@link BlobSource}; throws a TypeError naming what it got for anything else. */
export function toChunkedSource(source: BlobSource): ChunkedSource {
  if (typeof source === "string") return fromBytes(new TextEncoder().encode(source));
  if (source instanceof Uint8Array) return fromBytes(source);
  if (source instanceof ArrayBuffer) return fromBytes(new Uint8Array(source));
  if (typeof Blob !== "undefined" && source instanceof Blob) return fromRandomAccess(blobReader(source), source);
  if (isRandomAccess(source)) return fromRandomAccess(source);
  if (isSizedStream(source)) {
    const hold: ReaderHold = {};
    return fromIterable(exactly(streamIterable(source.stream, hold), source.size), source.size, releaser(hold));
  }
  if (isReadableStream(source)) {
    const hold: ReaderHold = {};
    return fromIterable(streamIterable(source, hold), undefined, releaser(hold));
  }
  if (isAsyncIterable(source)) return fromIterable(source);
  throw new TypeError(
    `uploadBlob cannot read a ${describe(source)}: pass a Blob, ReadableStream, AsyncIterable, Uint8Array, ArrayBuffer or string`,
  );
}

const cannotUnread = () => {
  throw new TypeError("Only a one-shot stream source takes chunks back");
};

function fromBytes(bytes: Uint8Array): ChunkedSource {
  return {
    size: bytes.byteLength,
    rereadable: true,
    bytes,
    blob: undefined,
    unread: cannotUnread,
    async *chunks(chunkSize, offset = 0) {
      for (let start = offset; start < bytes.byteLength; start += chunkSize)
        yield bytes.subarray(start, start + chunkSize);
    },
    release: async () => undefined,
  };
}

function fromRandomAccess(source: RandomAccessSource, blob?: Blob): ChunkedSource {
  return {
    size: source.size,
    rereadable: true,
    bytes: undefined,
    blob,
    unread: cannotUnread,
    async *chunks(chunkSize, offset = 0, buffers = CHUNK_BUFFERS) {
      const take = bufferRing(chunkSize, buffers);
      for (let start = offset; start < source.size; start += chunkSize) {
        const length = Math.min(chunkSize, source.size - start);
        let chunk: Uint8Array;
        if (source.readInto && buffers > 0) {
          const buffer = take();
          chunk = buffer.subarray(0, await source.readInto(start, buffer.subarray(0, length)));
        } else chunk = await source.read(start, length);
        if (chunk.byteLength === 0)
          throw new RangeError(`The source ended at ${start} bytes, before its declared size ${source.size}`);
        yield chunk;
      }
    },
    release: async () => undefined,
  };
}

function fromIterable(
  iterable: AsyncIterable<Uint8Array>,
  size?: number,
  release: (reason?: unknown) => Promise<void> = async () => undefined,
): ChunkedSource {
  const pieces = iterable[Symbol.asyncIterator]();
  const givenBack: Uint8Array[] = [];
  // Each read takes what was given back, then reads on; stopping a read early leaves the rest of the stream for the
  // next one (the stream is released by `release`, or when it ends).
  async function* remaining(): AsyncIterable<Uint8Array> {
    while (givenBack.length > 0) yield givenBack.shift()!;
    for (;;) {
      const next = await pieces.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return {
    size,
    rereadable: false,
    bytes: undefined,
    blob: undefined,
    chunks(chunkSize, offset = 0, buffers = CHUNK_BUFFERS) {
      if (offset > 0) throw new TypeError("A stream source cannot be read from an offset");
      return rechunk(remaining(), chunkSize, buffers, (rest) => givenBack.unshift(rest));
    },
    unread(chunks) {
      givenBack.unshift(...chunks);
    },
    async release(reason) {
      await release(reason);
      await pieces.return?.().catch(() => undefined);
    },
  };
}

/** How many chunk buffers a chunked read cycles through: an upload holds at most the chunk it sends and one read ahead. */
const CHUNK_BUFFERS = 2;

/**
 * A ring of `count` chunk buffers: each call returns the next one (a new buffer every time when `count` is 0). A chunk
 * handed out stays valid until `count` more are taken; reuse keeps a long upload from leaving a trail of chunk-sized
 * garbage for the collector to find late (external memory that a 1 GiB upload would otherwise pile up by the hundred MiB).
 */
function bufferRing(chunkSize: number, count: number): () => Uint8Array {
  if (count === 0) return () => new Uint8Array(chunkSize);
  const buffers: Uint8Array[] = [];
  let index = 0;
  return () => (buffers[index++ % count] ??= new Uint8Array(chunkSize));
}

/**
 * Regroups pieces of any size into chunks of `chunkSize` bytes, copying each byte once, into reused buffers
 * (see {@link bufferRing}), or into new ones when `buffers` is 0.
 */
export async function* rechunk(
  pieces: AsyncIterable<Uint8Array>,
  chunkSize: number,
  buffers = CHUNK_BUFFERS,
  leftover?: (rest: Uint8Array) => void,
): AsyncIterable<Uint8Array> {
  const take = bufferRing(chunkSize, buffers);
  let buffer = take();
  let filled = 0;
  let piece: Uint8Array | undefined;
  let read = 0;
  try {
    for await (piece of pieces) {
      if (!(piece instanceof Uint8Array))
        throw new TypeError(`A stream source yielded a ${describe(piece)}, not a Uint8Array`);
      read = 0;
      while (read < piece.byteLength) {
        const count = Math.min(chunkSize - filled, piece.byteLength - read);
        buffer.set(piece.subarray(read, read + count), filled);
        filled += count;
        read += count;
        if (filled === chunkSize) {
          yield buffer;
          buffer = take();
          filled = 0;
        }
      }
    }
    if (filled > 0) yield buffer.subarray(0, filled);
  } finally {
    // A read stopped after a full chunk leaves the rest of the piece it came from unread, for the next read.
    if (piece instanceof Uint8Array && read < piece.byteLength) leftover?.(piece.subarray(read));
  }
}

/** Passes the pieces through, failing as soon as they exceed `size` or end short of it. */
async function* exactly(pieces: AsyncIterable<Uint8Array>, size: number): AsyncIterable<Uint8Array> {
  let total = 0;
  for await (const piece of pieces) {
    total += piece.byteLength;
    if (total > size) throw new RangeError(`The stream yielded more than its declared size ${size}`);
    yield piece;
  }
  if (total < size) throw new RangeError(`The stream ended at ${total} bytes, before its declared size ${size}`);
}

function blobReader(blob: Blob): RandomAccessSource {
  return {
    size: blob.size,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  };
}

/** Where a stream source's reader is kept, so that {@link ChunkedSource.release} can cancel a read in progress. */
interface ReaderHold {
  reader?: ReadableStreamDefaultReader<Uint8Array>;
}

/** Cancelling the reader settles a pending read at once, so the iterator waiting on it can finish. */
function releaser(hold: ReaderHold): (reason?: unknown) => Promise<void> {
  return async (reason) => {
    await hold.reader?.cancel(reason).catch(() => undefined);
  };
}

async function* streamIterable(stream: ReadableStream<Uint8Array>, hold: ReaderHold): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  hold.reader = reader;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Stopping early (an abort, a failed request) must release the caller's stream, not leave it locked.
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

function isRandomAccess(value: unknown): value is RandomAccessSource {
  const candidate = value as RandomAccessSource;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.read === "function" &&
    Number.isSafeInteger(candidate.size)
  );
}

function isSizedStream(value: unknown): value is SizedStreamSource {
  const candidate = value as SizedStreamSource | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    isReadableStream(candidate.stream) &&
    Number.isSafeInteger(candidate.size) &&
    candidate.size >= 0
  );
}

function isReadableStream(value: unknown): value is ReadableStream<Uint8Array> {
  return typeof (value as ReadableStream | null)?.getReader === "function";
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === "function";
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  return (value as object).constructor?.name ?? "object";
}
