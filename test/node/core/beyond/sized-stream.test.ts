import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TransferProgress } from "../../../../src/index";
import { patterned, sha256, startRegistry, uniqueRepository, type TestRegistry } from "../content/support";

function streamOf(data: Uint8Array, piece = 333): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= data.byteLength) return controller.close();
      controller.enqueue(data.slice(offset, offset + piece));
      offset += piece;
    },
  });
}

describe("uploadBlob with a stream of known size", () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry("emulator");
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it("reports progress against the declared size and uploads the exact bytes", async () => {
    const data = patterned(2500, 7);
    const { client } = registry.connect({ chunkSize: 1000 });
    const events: TransferProgress[] = [];
    const result = await client.uploadBlob(
      uniqueRepository("sized"),
      { stream: streamOf(data), size: data.byteLength },
      { onProgress: (event) => events.push(event) },
    );
    expect(result).toEqual({ digest: sha256(data), size: 2500 });
    expect(events.map((event) => event.total)).toEqual([2500, 2500, 2500]);
    expect(events.at(-1)!.loaded).toBe(2500);
  });

  it.each([
    ["shorter", 2600, /ended at 2500 bytes/],
    ["longer", 2400, /more than its declared size 2400/],
  ])("refuses a stream %s than declared, leaving no blob", async (_name, declared, message) => {
    const data = patterned(2500, 8);
    const repository = uniqueRepository("sized-wrong");
    const { client } = registry.connect({ chunkSize: 1000 });
    await expect(client.uploadBlob(repository, { stream: streamOf(data), size: declared })).rejects.toThrow(message);
    expect(await client.blobExists(repository, sha256(data))).toBe(false);
  });
});
