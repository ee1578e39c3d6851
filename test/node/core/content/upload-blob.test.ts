import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TransferProgress } from "../../../../src/index";
import {
  eventually,
  patterned,
  readAll,
  REGISTRY_KINDS,
  sha256,
  startRegistry,
  uniqueRepository,
  uploadRequests,
  v2Requests,
  type TestRegistry,
} from "./support";

/** An odd chunk size, so that chunk boundaries never line up with powers of two by accident. */
const CHUNK = 1000;

describe.each(REGISTRY_KINDS)("uploadBlob against %s", (kind) => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry(kind);
  });
  afterAll(async () => {
    await registry?.stop();
  });

  async function roundTrip(repository: string, expected: Uint8Array) {
    const { client } = registry.connect();
    const download = await client.downloadBlob(repository, sha256(expected));
    expect(download.size).toBe(expected.byteLength);
    expect(sha256(await readAll(download.body))).toBe(sha256(expected));
  }

  it("uploads an empty blob in one POST and one PUT", async () => {
    const repository = uniqueRepository("empty");
    const { client, requests } = registry.connect({ chunkSize: CHUNK });
    const result = await client.uploadBlob(repository, new Uint8Array(0));
    expect(result).toEqual({ digest: sha256(""), size: 0 });
    expect(uploadRequests(requests)).toEqual(["POST 202", "PUT 201"]);
    await roundTrip(repository, new Uint8Array(0));
  });

  it.each([1, CHUNK - 1, CHUNK])("uploads %i bytes (one chunk) in exactly one POST and one PUT", async (size) => {
    const repository = uniqueRepository("one-chunk");
    const data = patterned(size, size);
    const { client, requests } = registry.connect({ chunkSize: CHUNK });
    const result = await client.uploadBlob(repository, data);
    expect(result).toEqual({ digest: sha256(data), size });
    expect(uploadRequests(requests)).toEqual(["POST 202", "PUT 201"]);
    await roundTrip(repository, data);
  });

  it.each([CHUNK + 1, 2 * CHUNK - 1, 2 * CHUNK, 2 * CHUNK + 1, 7 * CHUNK + 333])(
    "uploads %i bytes in chunks with Content-Range that the registry accepts in order",
    async (size) => {
      const repository = uniqueRepository("chunks");
      const data = patterned(size, size + 7);
      const { client, requests } = registry.connect({ chunkSize: CHUNK });
      const events: TransferProgress[] = [];
      const result = await client.uploadBlob(repository, data, { onProgress: (event) => events.push({ ...event }) });
      expect(result).toEqual({ digest: sha256(data), size });
      const patches = Math.ceil(size / CHUNK);
      expect(uploadRequests(requests)).toEqual(["POST 202", ...Array<string>(patches).fill("PATCH 202"), "PUT 201"]);
      // Progress covers the whole blob, grows strictly, and ends at the total.
      expect(events.map((event) => event.total)).toEqual(Array<number>(events.length).fill(size));
      const loaded = events.map((event) => event.loaded);
      expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
      expect(new Set(loaded).size).toBe(loaded.length);
      expect(loaded.at(-1)).toBe(size);
      await roundTrip(repository, data);
    },
  );

  it("takes the per-call chunkSize over the client's", async () => {
    const repository = uniqueRepository("per-call");
    const data = patterned(5000, 3);
    const { client, requests } = registry.connect({ chunkSize: 1_000_000 });
    await client.uploadBlob(repository, data, { chunkSize: 2048 });
    expect(uploadRequests(requests).filter((line) => line.startsWith("PATCH"))).toHaveLength(3);
  });

  it("ends a stream source's progress at the size it turned out to have", async () => {
    const repository = uniqueRepository("stream-progress");
    const data = patterned(2500, 9);
    const { client } = registry.connect({ chunkSize: CHUNK });
    const events: TransferProgress[] = [];
    await client.uploadBlob(repository, new Blob([data as BlobPart]).stream(), {
      onProgress: (event) => events.push({ ...event }),
    });
    expect(events.at(-1)).toEqual({ loaded: 2500, total: 2500 });
  });

  it("skips the transfer with one HEAD when the registry already has an in-memory blob", async () => {
    const repository = uniqueRepository("head-skip");
    const data = patterned(700, 11);
    const first = registry.connect({ chunkSize: CHUNK });
    await first.client.uploadBlob(repository, data);
    const second = registry.connect({ chunkSize: CHUNK });
    const events: TransferProgress[] = [];
    const result = await second.client.uploadBlob(repository, data, {
      onProgress: (event) => events.push({ ...event }),
    });
    expect(result).toEqual({ digest: sha256(data), size: 700 });
    expect(uploadRequests(second.requests)).toEqual([]);
    expect(v2Requests(second.requests).map((entry) => `${entry.method} ${entry.status}`)).toEqual(["HEAD 200"]);
    expect(events.at(-1)).toEqual({ loaded: 700, total: 700 });
  });

  it("rejects with the signal's reason when aborted between chunks, and DELETEs the session", async () => {
    const repository = uniqueRepository("abort");
    const data = patterned(10 * CHUNK, 5);
    const { client, requests } = registry.connect({ chunkSize: CHUNK });
    const controller = new AbortController();
    const reason = new Error("stop the upload");
    const upload = client.uploadBlob(repository, data, {
      signal: controller.signal,
      onProgress: ({ loaded }) => {
        if (loaded >= 3 * CHUNK) controller.abort(reason);
      },
    });
    await expect(upload).rejects.toBe(reason);
    // The DELETE is best effort and may finish after the rejection, which must not wait for it.
    await eventually(() => expect(uploadRequests(requests).at(-1)).toMatch(/^DELETE 20[24]$/));
    const lines = uploadRequests(requests);
    expect(lines[0]).toBe("POST 202");
    expect(lines.filter((line) => line.startsWith("PATCH"))).toHaveLength(3);
    expect(lines.some((line) => line.startsWith("PUT"))).toBe(false);
    expect(await client.blobExists(repository, sha256(data))).toBe(false);
  });

  it(
    "rejects promptly with the signal's reason while a stream source stalls, and DELETEs the session",
    { timeout: 10_000 },
    async () => {
      const repository = uniqueRepository("abort-stalled");
      const { client, requests } = registry.connect({ chunkSize: CHUNK });
      const controller = new AbortController();
      const reason = new DOMException("user gave up", "AbortError");
      let cancelled = false;
      // Two chunks arrive, then the source never produces again: only the signal can end the upload.
      const source = new ReadableStream<Uint8Array>({
        start(streamController) {
          streamController.enqueue(patterned(2 * CHUNK + 10, 1));
        },
        cancel() {
          cancelled = true;
        },
      });
      const upload = client.uploadBlob(repository, source, {
        signal: controller.signal,
        onProgress: ({ loaded }) => {
          if (loaded >= 2 * CHUNK) setTimeout(() => controller.abort(reason), 50);
        },
      });
      await expect(upload).rejects.toBe(reason);
      expect(cancelled).toBe(true);
      await eventually(() => expect(uploadRequests(requests).at(-1)).toMatch(/^DELETE 20[24]$/));
    },
  );

  it("refuses an aborted signal before sending anything", async () => {
    const { client, requests } = registry.connect();
    const reason = new Error("already aborted");
    await expect(
      client.uploadBlob(uniqueRepository("pre-abort"), "x", { signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
    expect(requests).toEqual([]);
  });

  it.each([0, -1, 1.5, Number.NaN, 2 ** 40])(
    "refuses chunkSize %s with a RangeError before any request",
    async (chunkSize) => {
      const { client, requests } = registry.connect();
      await expect(client.uploadBlob(uniqueRepository("bad-chunk"), "x", { chunkSize })).rejects.toThrow(RangeError);
      expect(requests).toEqual([]);
    },
  );

  it("refuses an invalid repository name before any request", async () => {
    const { client, requests } = registry.connect();
    await expect(client.uploadBlob("Upper/Case", "x")).rejects.toThrow(TypeError);
    await expect(client.uploadBlob("a//b", "x")).rejects.toThrow(/a\/\/b/);
    expect(requests).toEqual([]);
  });

  it("uploads into deeply nested repository names", async () => {
    const repository = `${uniqueRepository("nested")}/a/b.c/d_e/f-g`;
    const data = patterned(3 * CHUNK + 1, 21);
    const { client } = registry.connect({ chunkSize: CHUNK });
    expect((await client.uploadBlob(repository, data)).digest).toBe(sha256(data));
    await roundTrip(repository, data);
  });

  describe("strategy without a chunk size", () => {
    const streamOf = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();

    it("sends a re-readable source larger than a chunk in one streamed PATCH, then the PUT", async () => {
      const repository = uniqueRepository("streamed");
      const data = patterned(9 * 1024 * 1024 + 7, 41);
      const { client, requests } = registry.connect();
      expect(await client.uploadBlob(repository, new Blob([data as Uint8Array<ArrayBuffer>]))).toEqual({
        digest: sha256(data),
        size: data.byteLength,
      });
      expect(uploadRequests(requests)).toEqual(["POST 202", "PATCH 202", "PUT 201"]);
      await roundTrip(repository, data);
    });

    it("sends bytes in memory with the PUT alone, after a HEAD that finds nothing", async () => {
      const repository = uniqueRepository("monolithic");
      const data = patterned(2 * 1024 * 1024 + 3, 42);
      const { client, requests } = registry.connect();
      await client.uploadBlob(repository, data);
      expect(uploadRequests(requests)).toEqual(["POST 202", "PUT 201"]);
      expect(v2Requests(requests).filter((entry) => entry.method === "HEAD")).toHaveLength(1);
      await roundTrip(repository, data);
    });

    it("with a known digest, checks existence with one HEAD before any byte and sends nothing when the blob is there", async () => {
      const repository = uniqueRepository("known-digest");
      const data = patterned(5000, 43);
      const { client, requests } = registry.connect();
      await client.uploadBlob(repository, data);
      requests.length = 0;
      const stream = streamOf(data);
      expect(await client.uploadBlob(repository, stream, { digest: sha256(data) })).toEqual({
        digest: sha256(data),
        size: data.byteLength,
      });
      expect(v2Requests(requests).map((entry) => entry.method)).toEqual(["HEAD"]);
    });

    it("sends a one-shot stream of known size and digest in the completing PUT alone: POST and one PUT", async () => {
      const repository = uniqueRepository("streamed-put");
      const data = patterned(300_000, 45);
      const { client, requests } = registry.connect();
      const result = await client.uploadBlob(
        repository,
        { stream: streamOf(data), size: data.byteLength },
        { digest: sha256(data) },
      );
      expect(result).toEqual({ digest: sha256(data), size: data.byteLength });
      expect(uploadRequests(requests)).toEqual(["POST 202", "PUT 201"]);
      await roundTrip(repository, data);
    });

    it("fails with DigestValidationError when a one-shot stream of known size is not the digest given, and keeps no blob", async () => {
      const repository = uniqueRepository("streamed-put-wrong");
      const data = patterned(200_000, 46);
      const { client, requests } = registry.connect();
      const claimed = sha256(patterned(200_000, 47));
      const error = await client
        .uploadBlob(repository, { stream: streamOf(data), size: data.byteLength }, { digest: claimed })
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ name: "DigestValidationError", expected: claimed, actual: sha256(data) });
      expect(uploadRequests(requests).some((line) => line === "PUT 201")).toBe(false);
      expect(await client.blobExists(repository, claimed)).toBe(false);
      expect(await client.blobExists(repository, sha256(data))).toBe(false);
    });

    it("with a known digest that the bytes do not have, fails with DigestValidationError before completing, and cancels the session", async () => {
      const repository = uniqueRepository("wrong-digest");
      const data = patterned(5000, 44);
      const { client, requests } = registry.connect();
      const claimed = `sha256:${"ab".repeat(32)}`;
      const error = await client
        .uploadBlob(repository, streamOf(data), { digest: claimed })
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ name: "DigestValidationError", expected: claimed, actual: sha256(data) });
      expect(uploadRequests(requests).some((line) => line.startsWith("PUT"))).toBe(false);
      expect(uploadRequests(requests).at(-1)).toMatch(/^DELETE 20[04]$/);
    });
  });
});
