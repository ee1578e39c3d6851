/**
 * The one-connection read of a blob (download-sequential.ts): a read cut short by `cancel` ends there. The parallel
 * download reads its first connection through it and cancels it when another connection takes over; a resume at that
 * moment had opened one more ranged request than the connections allowed (7 of 6 in each browser engine).
 */
import { expect, test } from "vitest";
import type { BlobLocation } from "../../../../src/core/content/blob-location";
import { sequentialPieces } from "../../../../src/core/content/download-sequential";

test("a read pending when the pieces are cancelled ends without a new request", async () => {
  let requests = 0;
  // Only `read` would be called, to resume: counted, and it would hang like a slow server.
  const location = {
    url: "http://127.0.0.1/v2/r/blobs/sha256:0",
    digest: "sha256:0",
    read: () => {
      requests++;
      return new Promise(() => undefined);
    },
  } as unknown as BlobLocation;
  // A body that sends one piece and then nothing: the next read waits.
  const body = new ReadableStream<Uint8Array>({
    start: (controller) => controller.enqueue(new Uint8Array(10)),
  });
  const pieces = sequentialPieces(location, new Response(body), 0, { size: 100, maxResumes: 5 });
  expect((await pieces.read())?.byteLength).toBe(10);
  const pending = pieces.read();
  await pieces.cancel(new Error("taken over"));
  await expect(pending).rejects.toThrow("taken over");
  expect(requests).toBe(0);
}, 10_000);
