/**
 * Response bodies on acrkit/node's default fetch (response-body.ts, decoding.ts): a web ReadableStream that pauses
 * the connection while its reader is behind, whose cancel() closes the connection, whose break is an error; and
 * Content-Encoding undone as Node's fetch undoes it, checked against that fetch on the same answers.
 */
import type { ServerResponse } from "node:http";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasWholeBody } from "../../../../../src/core/http/whole-body";
import { nodeFetch } from "../../../../../src/platform/node/http-transport/node-fetch";
import { startScriptedServer, type ScriptedServer } from "../../../../support/scripted-server";

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());

const MIB = 1024 * 1024;
const manual = { redirect: "manual" } as const;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes `total` bytes as fast as the connection takes them; `written` counts what the socket accepted. */
function writeBlob(response: ServerResponse, total: number, progress: { written: number }): void {
  const piece = Buffer.alloc(256 * 1024, 7);
  response.writeHead(200, { "content-length": String(total) });
  const next = () => {
    while (progress.written < total) {
      progress.written += piece.byteLength;
      if (!response.write(piece)) return void response.once("drain", next);
    }
    response.end();
  };
  next();
}

describe("response bodies", () => {
  it("come whole as bytes when small and in with the headers; as a stream when not", async () => {
    server.handle((request, response) => {
      if (request.url === "/small")
        return void response.writeHead(200, { "content-type": "application/json" }).end('{"tag":"v1"}');
      response.writeHead(200, { "content-length": "10" });
      response.write("01234");
      setTimeout(() => response.end("56789"), 50);
    });
    const small = await nodeFetch(new URL(`${server.base}/small`), manual);
    expect(hasWholeBody(small)).toBe(true);
    expect(await small.json()).toEqual({ tag: "v1" });
    const late = await nodeFetch(new URL(`${server.base}/late`), manual);
    expect(hasWholeBody(late)).toBe(false);
    expect(await late.text()).toBe("0123456789");
  });

  it("pause the connection while the reader is behind, and deliver every byte once it reads", async () => {
    const total = 64 * MIB;
    const progress = { written: 0 };
    server.handle((_request, response) => writeBlob(response, total, progress));
    const response = await nodeFetch(new URL(`${server.base}/blob`), manual);
    const reader = response.body!.getReader();
    let read = (await reader.read()).value!.byteLength;
    await pause(500);
    // The server could hand over only what the socket buffers and the stream's small queue hold; without
    // backpressure it would have written all 64 MiB by now.
    expect(progress.written).toBeLessThan(24 * MIB);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      read += value.byteLength;
    }
    expect(read).toBe(total);
  });

  it("close the connection on cancel(): the server sees it go, the next request opens another", async () => {
    const sockets = new Set<unknown>();
    let closed = 0;
    server.handle((request, response) => {
      if (!sockets.has(request.socket)) {
        sockets.add(request.socket);
        request.socket.once("close", () => closed++);
      }
      writeBlob(response, 32 * MIB, { written: 0 });
    });
    const response = await nodeFetch(new URL(`${server.base}/blob`), manual);
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    for (let waited = 0; closed === 0 && waited < 5000; waited += 20) await pause(20);
    expect(closed).toBe(1);
    const again = await nodeFetch(new URL(`${server.base}/blob`), manual);
    await again.body!.cancel();
    expect(sockets.size).toBe(2);
  });

  it("error when the connection breaks mid-body, naming the cut", async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { "content-length": "100000" });
      response.write("x".repeat(5000), () => response.socket?.destroy());
    });
    const response = await nodeFetch(new URL(`${server.base}/cut`), manual);
    await expect(response.arrayBuffer()).rejects.toMatchObject({ name: "BodyTerminatedError" });
  });
});

describe("Content-Encoding, as Node's fetch decodes it", () => {
  const text = JSON.stringify({ schemaVersion: 2, layers: Array.from({ length: 50 }, (_, i) => ({ size: i })) });
  const encoded: [string, string, Buffer][] = [
    ["gzip", "gzip", gzipSync(text)],
    ["x-gzip", "x-gzip", gzipSync(text)],
    ["deflate", "deflate", deflateSync(text)],
    ["br", "br", brotliCompressSync(text)],
    ["two codings, gzip then br", "gzip, br", brotliCompressSync(gzipSync(text))],
    ["identity", "identity", Buffer.from(text)],
    ["an unknown coding (passed through)", "x-acrkit-unknown", Buffer.from("not decoded")],
  ];
  for (const [name, header, bytes] of encoded) {
    it(`${name}: the same bytes as fetch, Content-Encoding and Content-Length kept`, async () => {
      server.handle((_request, response) =>
        response.writeHead(200, { "content-encoding": header, "content-length": String(bytes.length) }).end(bytes),
      );
      const target = new URL(`${server.base}/encoded`);
      const expected = await fetch(target);
      const actual = await nodeFetch(target, manual);
      expect(actual.headers.get("content-encoding")).toBe(header);
      expect(actual.headers.get("content-length")).toBe(String(bytes.length));
      expect(await actual.text()).toBe(await expected.text());
    });
  }

  it("asks for the codings fetch asks for: gzip and deflate over http", async () => {
    let asked: string | undefined;
    server.handle((request, response) => ((asked = request.headers["accept-encoding"]), response.end()));
    await (await nodeFetch(new URL(`${server.base}/`), manual)).arrayBuffer();
    expect(asked).toBe("gzip, deflate");
  });

  it("a HEAD with Content-Encoding has no body to decode", async () => {
    server.handle((_request, response) =>
      response.writeHead(200, { "content-encoding": "gzip", "content-length": "20" }).end(),
    );
    const response = await nodeFetch(new URL(`${server.base}/head`), { ...manual, method: "HEAD" });
    expect([response.status, response.body]).toEqual([200, null]);
  });

  it("a broken gzip body errors the stream, never delivers garbage as the end", async () => {
    const broken = gzipSync(text);
    broken.fill(0, 10, 30);
    server.handle((_request, response) => response.writeHead(200, { "content-encoding": "gzip" }).end(broken));
    const response = await nodeFetch(new URL(`${server.base}/broken`), manual);
    await expect(response.text()).rejects.toMatchObject({ name: "BodyTerminatedError" });
  });
});
