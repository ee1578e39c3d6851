/**
 * The child process of the memory test: uploads and downloads a large generated blob against the registry whose URL
 * is its first argument, and prints one JSON line with its peak RSS before and after. Never holds the blob in memory.
 * @module
 */
import { ContainerRegistryClient } from "../../../../../src/platform/node/index";

const MIB = 1024 * 1024;
const [url, sizeArgument, chunkArgument] = process.argv.slice(2);
const size = Number(sizeArgument) * MIB;
/** The client's default chunk size unless a third argument (MiB) says otherwise: for measuring. */
const chunkSize = chunkArgument ? Number(chunkArgument) * MIB : undefined;

/** A stream of `total` bytes made of 1 MiB pieces, each stamped with its index so that no two are alike. */
function generated(total: number): ReadableStream<Uint8Array> {
  const template = new Uint8Array(MIB);
  for (let index = 0; index < MIB; index++) template[index] = (index * 31 + (index >>> 8)) & 0xff;
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      const piece = template.slice(0, Math.min(MIB, total - sent));
      new DataView(piece.buffer).setUint32(0, sent / MIB);
      sent += piece.byteLength;
      controller.enqueue(piece);
    },
  });
}

const client = new ContainerRegistryClient(url!, undefined, chunkSize ? { chunkSize } : {});
// Warm-up: load every module and open a connection, so the baseline includes what any transfer needs.
const warm = await client.uploadBlob("memory/warm-up", generated(2 * MIB));
for await (const _ of (await client.downloadBlob("memory/warm-up", warm.digest))
  .body as unknown as AsyncIterable<Uint8Array>);
globalThis.gc?.();
const baselineKiB = process.resourceUsage().maxRSS;

let started = Date.now();
const uploaded = await client.uploadBlob("memory/large", generated(size));
const uploadMs = Date.now() - started;
const afterUploadKiB = process.resourceUsage().maxRSS;

started = Date.now();
const download = await client.downloadBlob("memory/large", uploaded.digest);
let received = 0;
for await (const chunk of download.body as unknown as AsyncIterable<Uint8Array>) received += chunk.byteLength;
const downloadMs = Date.now() - started;

console.log(
  JSON.stringify({
    size: uploaded.size,
    received,
    digest: uploaded.digest,
    baselineKiB,
    afterUploadKiB,
    peakKiB: process.resourceUsage().maxRSS,
    uploadMs,
    downloadMs,
  }),
);
