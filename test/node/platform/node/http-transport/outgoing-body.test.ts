/**
 * Request bodies on acrkit/node's default fetch (outgoing-body.ts): every BodyInit form arrives with the bytes, the
 * Content-Length (or chunked encoding) and the Content-Type that Node's own fetch sends for it, checked against that
 * fetch on the same server; a streamed body is read only as fast as the connection takes it; a server that answers
 * before reading the whole upload ends it without a hang.
 */
import type { IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeFetch } from "../../../../../src/platform/node/http-transport/node-fetch";
import { startScriptedServer, type ScriptedServer } from "../../../../support/scripted-server";

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());

const MIB = 1024 * 1024;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the server saw of one request. */
interface Seen {
  length?: string;
  chunked: boolean;
  type?: string;
  body: string;
}

function recording(): Promise<Seen> {
  return new Promise((resolve) =>
    server.handle((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (data: Buffer) => chunks.push(data));
      request.on("end", () => {
        resolve({
          length: request.headers["content-length"],
          chunked: request.headers["transfer-encoding"] === "chunked",
          type: request.headers["content-type"],
          body: Buffer.concat(chunks).toString("latin1"),
        });
        response.end();
      });
    }),
  );
}

async function seenWith(fetcher: typeof fetch, method: string, body: () => BodyInit | null): Promise<Seen> {
  const seen = recording();
  const init = { method, body: body(), redirect: "manual", duplex: "half" } as RequestInit;
  await (await fetcher(new URL(`${server.base}/upload`), init)).arrayBuffer();
  return seen;
}

const bytes = () => new Uint8Array([104, 105, 0, 255]);
const bodies: [string, string, () => BodyInit | null][] = [
  ["a string", "PUT", () => "héllo"],
  ["a Uint8Array", "PUT", bytes],
  ["an ArrayBuffer", "PATCH", () => bytes().buffer],
  ["a DataView", "PATCH", () => new DataView(bytes().buffer, 1, 2)],
  ["a Blob with a type", "PUT", () => new Blob(["blob bytes"], { type: "application/vnd.oci.image.manifest.v1+json" })],
  ["URLSearchParams (a token form)", "POST", () => new URLSearchParams({ grant_type: "refresh_token", scope: "a b" })],
  ["a ReadableStream", "PATCH", () => new Blob(["streamed ", "bytes"]).stream()],
  ["no body on a POST", "POST", () => null],
  ["no body on a PUT", "PUT", () => null],
];

describe("request bodies as Node's fetch sends them", () => {
  for (const [name, method, body] of bodies) {
    it(`${name}: the same bytes, Content-Length and Content-Type`, async () => {
      const expected = await seenWith(fetch, method, body);
      const actual = await seenWith(nodeFetch as typeof fetch, method, body);
      expect(actual).toEqual(expected);
    });
  }

  it("a Content-Length the caller set on a stream is kept (acrkit sets it on streamed chunks)", async () => {
    const seen = recording();
    const stream = new Blob(["0123456789"]).stream();
    const init = {
      method: "PATCH",
      body: stream,
      headers: { "content-length": "10" },
      redirect: "manual",
      duplex: "half",
    };
    await (await nodeFetch(new URL(`${server.base}/chunk`), init as RequestInit)).arrayBuffer();
    expect(await seen).toEqual({ length: "10", chunked: false, type: undefined, body: "0123456789" });
  });
});

describe("streamed request bodies", () => {
  it("are read only as fast as the server takes them (backpressure)", async () => {
    let received = 0;
    let reading = false;
    server.handle((request, response) => {
      request.pause();
      request.on("data", (data: Buffer) => (received += data.byteLength));
      request.on("end", () => response.end(String(received)));
      // The server reads nothing for a while, then everything.
      setTimeout(() => ((reading = true), request.resume()), 600);
    });
    let pulled = 0;
    let pulledBeforeReading = 0;
    const total = 64 * MIB;
    const piece = new Uint8Array(256 * 1024);
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (pulled >= total) return controller.close();
          pulled += piece.byteLength;
          if (!reading) pulledBeforeReading = pulled;
          controller.enqueue(piece);
        },
      },
      { highWaterMark: 0 },
    );
    const response = await nodeFetch(new URL(`${server.base}/big`), {
      method: "PUT",
      body,
      redirect: "manual",
      duplex: "half",
    } as RequestInit);
    expect(await response.text()).toBe(String(total));
    // Socket buffers on loopback hold a few MiB; without backpressure all 64 MiB would be pulled at once.
    expect(pulledBeforeReading).toBeLessThan(24 * MIB);
    expect(pulled).toBe(total);
  });

  it("end when the server answers before reading them: the answer arrives, the stream is cancelled", async () => {
    server.handle((request, response) => {
      let received = 0;
      request.on("data", (data: Buffer) => {
        received += data.byteLength;
        if (received >= MIB && !response.headersSent) {
          response.writeHead(413, { connection: "close" }).end("too large");
        }
      });
    });
    let cancelled: unknown;
    const piece = new Uint8Array(64 * 1024);
    const body = new ReadableStream<Uint8Array>(
      {
        pull: (controller) => controller.enqueue(piece),
        cancel: (reason) => void (cancelled = reason ?? "cancelled"),
      },
      { highWaterMark: 0 },
    );
    const response = await nodeFetch(new URL(`${server.base}/refuse`), {
      method: "PUT",
      body,
      redirect: "manual",
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.text()).toBe("too large");
    for (let waited = 0; cancelled === undefined && waited < 5000; waited += 20) await pause(20);
    expect(cancelled).toBeDefined();
  });

  it("that fail end the request with a TypeError whose cause is the stream's error", async () => {
    server.handle((request, response) => {
      request.resume();
      request.on("end", () => response.end());
    });
    const failure = new Error("the source broke");
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ === 3) throw failure;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const error = await nodeFetch(new URL(`${server.base}/broken`), {
      method: "PATCH",
      body,
      redirect: "manual",
      duplex: "half",
    } as RequestInit).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).cause).toBe(failure);
  });
});
