import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BlobSource, RandomAccessSource } from "../../../../src/index";
import { rechunk } from "../../../../src/core/content/blob-source";
import {
  eventually,
  patterned,
  readAll,
  REGISTRY_KINDS,
  sha256,
  startRegistry,
  uniqueRepository,
  uploadRequests,
  type TestRegistry,
} from "./support";

const CHUNK = 1000;

/** Splits bytes into pieces of varying sizes, an empty one included, as a network stream would deliver them. */
function pieces(bytes: Uint8Array): Uint8Array[] {
  const sizes = [1, 0, 333, 1000, 7, 1999];
  const result: Uint8Array[] = [];
  for (let offset = 0, index = 0; offset < bytes.byteLength; index++) {
    const size = sizes[index % sizes.length]!;
    result.push(bytes.slice(offset, offset + size));
    offset += size;
  }
  return result;
}

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  const queue = pieces(bytes);
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = queue.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
}

async function* iterableOf(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (const piece of pieces(bytes)) {
    await Promise.resolve();
    yield piece;
  }
}

function randomAccessOf(bytes: Uint8Array): RandomAccessSource & { reads: Array<[number, number]> } {
  const reads: Array<[number, number]> = [];
  return {
    size: bytes.byteLength,
    reads,
    read: async (offset, length) => {
      reads.push([offset, length]);
      return bytes.slice(offset, offset + length);
    },
  };
}

/** Every BlobSource kind for the same bytes; each call makes fresh one-shot sources. */
function sourcesOf(bytes: Uint8Array): Array<[string, () => BlobSource]> {
  return [
    ["Blob", () => new Blob([bytes as BlobPart])],
    ["ReadableStream", () => streamOf(bytes)],
    ["Blob.stream()", () => new Blob([bytes as BlobPart]).stream()],
    ["AsyncIterable", () => iterableOf(bytes)],
    ["Uint8Array", () => bytes],
    // A view into a larger buffer: the bytes outside the view must not be sent.
    ["Uint8Array view", () => new Uint8Array([9, 9, 9, ...bytes, 9, 9]).subarray(3, 3 + bytes.byteLength)],
    ["Buffer", () => Buffer.from(bytes)],
    ["ArrayBuffer", () => bytes.slice().buffer],
    ["RandomAccessSource", () => randomAccessOf(bytes)],
    ["sized stream", () => ({ stream: streamOf(bytes), size: bytes.byteLength })],
  ];
}

describe.each(REGISTRY_KINDS)("every BlobSource kind against %s", (kind) => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry(kind);
  });
  afterAll(async () => {
    await registry?.stop();
  });

  for (const size of [0, 600, 3 * CHUNK + 17]) {
    const bytes = patterned(size, size + 100);
    it.each(sourcesOf(bytes))(`uploads ${size} bytes from a %s and reads the same bytes back`, async (_name, make) => {
      const repository = uniqueRepository("source");
      const { client, requests } = registry.connect({ chunkSize: CHUNK });
      const result = await client.uploadBlob(repository, make());
      expect(result).toEqual({ digest: sha256(bytes), size });
      const lines = uploadRequests(requests);
      expect(lines.filter((line) => line.startsWith("PATCH"))).toHaveLength(size > CHUNK ? Math.ceil(size / CHUNK) : 0);
      const download = await client.downloadBlob(repository, result.digest);
      expect(Buffer.from(await readAll(download.body)).equals(Buffer.from(bytes))).toBe(true);
    });
  }

  it("uploads a string as its UTF-8 bytes", async () => {
    const text = "grüße, 世界 🐳\n".repeat(150);
    const bytes = new TextEncoder().encode(text);
    const { client } = registry.connect({ chunkSize: CHUNK });
    const repository = uniqueRepository("string");
    expect(await client.uploadBlob(repository, text)).toEqual({ digest: sha256(bytes), size: bytes.byteLength });
    expect(new TextDecoder().decode(await readAll((await client.downloadBlob(repository, sha256(bytes))).body))).toBe(
      text,
    );
  });

  it("reads a RandomAccessSource in chunk-sized reads at increasing offsets", async () => {
    const bytes = patterned(2 * CHUNK + 1, 4);
    const source = randomAccessOf(bytes);
    const { client } = registry.connect({ chunkSize: CHUNK });
    await client.uploadBlob(uniqueRepository("random-access"), source);
    expect(source.reads).toEqual([
      [0, CHUNK],
      [CHUNK, CHUNK],
      [2 * CHUNK, 1],
    ]);
  });

  it("fails with a RangeError and DELETEs the session when a RandomAccessSource ends before its size", async () => {
    const bytes = patterned(3 * CHUNK, 5);
    const short: RandomAccessSource = {
      size: 4 * CHUNK,
      read: async (offset, length) => bytes.slice(offset, offset + length),
    };
    const { client, requests } = registry.connect({ chunkSize: CHUNK });
    await expect(client.uploadBlob(uniqueRepository("short"), short)).rejects.toThrow(RangeError);
    await eventually(() => expect(uploadRequests(requests).at(-1)).toMatch(/^DELETE 20[24]$/));
  });

  it("fails with a TypeError naming what a stream yielded instead of bytes, and DELETEs the session", async () => {
    async function* wrong(): AsyncGenerator<Uint8Array> {
      yield patterned(3 * CHUNK + 5, 6);
      yield "text" as unknown as Uint8Array;
    }
    const { client, requests } = registry.connect({ chunkSize: CHUNK });
    await expect(client.uploadBlob(uniqueRepository("wrong-piece"), wrong())).rejects.toThrow(/yielded a string/);
    await eventually(() => expect(uploadRequests(requests).at(-1)).toMatch(/^DELETE 20[24]$/));
  });

  it.each([
    ["a number", 42],
    ["null", null],
    ["a plain object", { size: 3 }],
  ])("refuses %s with a TypeError before any request", async (_name, value) => {
    const { client, requests } = registry.connect();
    await expect(client.uploadBlob(uniqueRepository("bad-source"), value as unknown as BlobSource)).rejects.toThrow(
      TypeError,
    );
    expect(requests).toEqual([]);
  });
});

describe("rechunk", () => {
  it("regroups pieces at every boundary ±1 into exact chunks without losing a byte", async () => {
    for (const total of [CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK - 1, 3 * CHUNK, 3 * CHUNK + 1]) {
      const bytes = patterned(total, total);
      const chunks: Uint8Array[] = [];
      for await (const chunk of rechunk(iterableOf(bytes), CHUNK)) chunks.push(chunk.slice());
      expect(chunks.slice(0, -1).every((chunk) => chunk.byteLength === CHUNK)).toBe(true);
      expect(chunks.at(-1)!.byteLength).toBe(total % CHUNK || CHUNK);
      expect(sha256(Buffer.concat(chunks))).toBe(sha256(bytes));
    }
  });
});
