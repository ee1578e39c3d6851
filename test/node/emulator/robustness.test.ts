/**
 * Malformed requests on the wire: each must get a proper 4xx/5xx answer, and the server must keep serving.
 * Requests are written byte for byte with node:net, so no client normalises them first.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createEmulator } from "../../../src/emulator/index";
import { startEmulator, type StartedEmulator } from "../../support/emulator";
import { basic, sha256 } from "./helpers";
import { RawConnection, exchange, rawErrorCode } from "./raw-http";

let started: StartedEmulator | undefined;
let errors: unknown[] = [];
afterEach(async () => {
  await started?.close();
  started = undefined;
});

async function start(options: Parameters<typeof startEmulator>[0] = {}): Promise<StartedEmulator> {
  errors = [];
  started = await startEmulator({ users: { admin: "secret" }, onError: (error) => errors.push(error), ...options });
  return started;
}

/** A request head: the request line, then header lines, then the blank line. */
function head(requestLine: string, ...headers: string[]): string {
  return `${requestLine}\r\n${headers.map((header) => `${header}\r\n`).join("")}\r\n`;
}

/** The server still answers a well-formed request: GET /v2/ as admin. */
async function expectServing(url = started!.url): Promise<void> {
  const response = await fetch(`${url}/v2/`, { headers: { authorization: basic("admin", "secret") } });
  expect(response.status).toBe(200);
  expect(errors).toEqual([]);
}

describe("malformed requests named in the defect", () => {
  it("answers TRACE with 501 UNSUPPORTED and keeps serving", async () => {
    const { url } = await start();
    const answer = await exchange(url, head("TRACE /v2/ HTTP/1.1", "Host: 127.0.0.1"));
    expect(answer?.status).toBe(501);
    expect(rawErrorCode(answer)).toBe("UNSUPPORTED");
    await expectServing();
  });

  for (const host of ["x:99999", "a b", "[::"]) {
    it(`answers Host: ${host} with 400 INVALID_REQUEST and keeps serving`, async () => {
      const { url } = await start();
      const answer = await exchange(url, head("GET /v2/ HTTP/1.1", `Host: ${host}`));
      expect(answer?.status).toBe(400);
      expect(rawErrorCode(answer)).toBe("INVALID_REQUEST");
      await expectServing();
    });
  }

  it("gives the storage origin of redirect mode the same protection", async () => {
    const { server } = await start({ redirectBlobs: true });
    const storageUrl = server.storageUrl!;
    const trace = await exchange(storageUrl, head("TRACE /blobs/x HTTP/1.1", "Host: 127.0.0.1"));
    expect(trace?.status).toBe(501);
    const badHost = await exchange(storageUrl, head("GET /blobs/x HTTP/1.1", "Host: [::"));
    expect(badHost?.status).toBe(403); // the storage origin is pinned: the Host is not used, the signature is missing
    const post = await exchange(storageUrl, head("POST /blobs/x HTTP/1.1", "Host: 127.0.0.1", "Content-Length: 0"));
    expect(post?.status).toBe(405);
    expect(post?.headers.allow).toBe("GET, HEAD");
    await expectServing();
  });
});

describe("methods", () => {
  it("answers a method the parser does not know with 501", async () => {
    const { url } = await start();
    const answer = await exchange(url, head("BREW /v2/ HTTP/1.1", "Host: 127.0.0.1"));
    expect(answer?.status).toBe(501);
    expect(rawErrorCode(answer)).toBe("UNSUPPORTED");
    await expectServing();
  });

  it("answers a known method no endpoint serves (PROPFIND, CONNECT) with 501", async () => {
    const { url } = await start();
    expect((await exchange(url, head("PROPFIND /v2/ HTTP/1.1", "Host: 127.0.0.1")))?.status).toBe(501);
    expect((await exchange(url, head("CONNECT 127.0.0.1:443 HTTP/1.1", "Host: 127.0.0.1:443")))?.status).toBe(501);
    await expectServing();
  });

  it("answers a served method on the wrong endpoint with 405 and Allow", async () => {
    const { url } = await start();
    const base = await exchange(url, head("DELETE /v2/ HTTP/1.1", "Host: 127.0.0.1"));
    expect(base?.status).toBe(405);
    expect(base?.headers.allow).toBe("GET, HEAD");
    const upload = await exchange(url, head("GET /v2/app/blobs/uploads/ HTTP/1.1", "Host: 127.0.0.1"));
    expect(upload?.status).toBe(405);
    expect(upload?.headers.allow).toBe("POST");
    expect(rawErrorCode(upload)).toBe("UNSUPPORTED");
  });
});

describe("targets and headers", () => {
  it("answers a repeated Host with 400, and repeated credentials or Content-Range as the malformed values they are", async () => {
    const { url } = await start();
    const answer = await exchange(url, head("GET /v2/ HTTP/1.1", "Host: 127.0.0.1", "Host: 127.0.0.2"));
    expect(answer?.status).toBe(400);
    const missing = await exchange(url, head("GET /v2/ HTTP/1.1"));
    expect(missing?.status).toBe(400);
    expect(rawErrorCode(missing)).toBe("INVALID_REQUEST");
    const http10 = await exchange(url, head("GET /v2/ HTTP/1.0", `Authorization: ${basic("admin", "secret")}`));
    expect(http10?.status).toBe(200);
    const auth = `Authorization: ${basic("admin", "secret")}`;
    const twoCredentials = await exchange(url, head("GET /v2/ HTTP/1.1", "Host: 127.0.0.1", auth, auth));
    expect(twoCredentials?.status).toBe(401);
    const location = (
      await fetch(`${url}/v2/app/blobs/uploads/`, {
        method: "POST",
        headers: { authorization: basic("admin", "secret") },
      })
    ).headers.get("location")!;
    const ranges = head(
      `PATCH ${location} HTTP/1.1`,
      "Host: 127.0.0.1",
      auth,
      "Content-Range: 0-1",
      "Content-Range: 0-1",
      "Content-Length: 2",
    );
    const twoRanges = await exchange(url, `${ranges}ab`);
    expect(twoRanges?.status).toBe(400);
    expect(rawErrorCode(twoRanges)).toBe("BLOB_UPLOAD_INVALID");
    await expectServing();
  });

  it("answers asterisk-form and garbage targets with 400, and keeps `//host` a path", async () => {
    const { url } = await start();
    expect((await exchange(url, head("OPTIONS * HTTP/1.1", "Host: 127.0.0.1")))?.status).toBe(400);
    expect((await exchange(url, head("GET v2 HTTP/1.1", "Host: 127.0.0.1")))?.status).toBe(400);
    const slashes = await exchange(url, head("GET //evil.example/v2/ HTTP/1.1", "Host: 127.0.0.1"));
    expect(slashes?.status).toBe(404);
    expect(rawErrorCode(slashes)).toBe("NOT_FOUND");
    await expectServing();
  });

  it("answers bad percent-encoding in a path with 400 INVALID_REQUEST", async () => {
    const { url } = await start();
    const answer = await exchange(url, head("GET /v2/%ZZ/tags/list HTTP/1.1", "Host: 127.0.0.1"));
    expect(answer?.status).toBe(400);
    expect(rawErrorCode(answer)).toBe("INVALID_REQUEST");
  });

  it("answers headers over Node's limit with 431", async () => {
    const { url } = await start();
    const answer = await exchange(url, head("GET /v2/ HTTP/1.1", "Host: 127.0.0.1", `X-Big: ${"a".repeat(20_000)}`));
    expect(answer?.status).toBe(431);
    await expectServing();
  });

  it("answers garbage Content-Length and broken chunked framing with 400", async () => {
    const { url } = await start();
    const garbage = await exchange(
      url,
      head("PATCH /v2/app/blobs/uploads/x HTTP/1.1", "Host: 127.0.0.1", "Content-Length: abc"),
    );
    expect(garbage?.status).toBe(400);
    const twice = await exchange(
      url,
      head("PUT /v2/app/manifests/v1 HTTP/1.1", "Host: 127.0.0.1", "Content-Length: 5", "Content-Length: 6"),
    );
    expect(twice?.status).toBe(400);
    const chunked = await exchange(
      url,
      `${head("PUT /v2/app/manifests/v1 HTTP/1.1", "Host: 127.0.0.1", "Transfer-Encoding: chunked")}zz\r\n`,
    );
    expect(chunked?.status).toBe(400);
    await expectServing();
  });

  it("answers garbage Content-Range with 400 and garbage or unsatisfiable Range with 200 or 416", async () => {
    const { url, emulator } = await start({ authRequired: false });
    const post = await fetch(`${url}/v2/app/blobs/uploads/`, { method: "POST" });
    const location = post.headers.get("location")!;
    const far = await exchange(
      url,
      head(
        `PATCH ${location} HTTP/1.1`,
        "Host: 127.0.0.1",
        "Content-Range: 99999999999999999999999-1",
        "Content-Length: 2",
      ) + "ab",
    );
    expect(far?.status).toBe(416);
    for (const range of ["bytes=abc", "0-1, 2-3", "-", "1-2-3"]) {
      const answer = await exchange(
        url,
        head(`PATCH ${location} HTTP/1.1`, "Host: 127.0.0.1", `Content-Range: ${range}`, "Content-Length: 2") + "ab",
      );
      expect(answer?.status).toBe(400);
      expect(rawErrorCode(answer)).toBe("BLOB_UPLOAD_INVALID");
    }
    const digest = await emulator.seedBlob("app", "0123456789");
    const ignored = await exchange(
      url,
      head(`GET /v2/app/blobs/${digest} HTTP/1.1`, "Host: 127.0.0.1", "Range: bytes=zz-1"),
    );
    expect(ignored?.status).toBe(200);
    expect(ignored?.body).toBe("0123456789");
    const huge = await exchange(
      url,
      head(`GET /v2/app/blobs/${digest} HTTP/1.1`, "Host: 127.0.0.1", "Range: bytes=99999999999999999999-"),
    );
    expect(huge?.status).toBe(416);
    expect(errors).toEqual([]);
  });

  it("ignores a body on GET and serves the next request on the same connection", async () => {
    const { url } = await start();
    const connection = await RawConnection.open(url);
    try {
      const auth = `Authorization: ${basic("admin", "secret")}`;
      await connection.write(`${head("GET /v2/ HTTP/1.1", "Host: 127.0.0.1", auth, "Content-Length: 5")}hello`);
      await connection.write(head("GET /v2/ HTTP/1.1", "Host: 127.0.0.1", auth));
      expect((await connection.answer())?.status).toBe(200);
      expect((await connection.answer())?.status).toBe(200);
    } finally {
      connection.destroy();
    }
  });
});

describe("stalled requests", () => {
  it("answers 408 to a body that stops arriving, and to a head that never ends", async () => {
    const emulator = createEmulator({ authRequired: false });
    const server = await emulator.listen({ requestTimeoutMs: 300 });
    try {
      const body = await RawConnection.open(server.url);
      await body.write(`${head("PUT /v2/app/manifests/v1 HTTP/1.1", "Host: 127.0.0.1", "Content-Length: 100")}{"sche`);
      const heads = await RawConnection.open(server.url);
      await heads.write("GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
      expect((await body.answer(5000))?.status).toBe(408);
      expect((await heads.answer(5000))?.status).toBe(408);
      body.destroy();
      heads.destroy();
      expect((await fetch(`${server.url}/v2/`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe("bodies", () => {
  it("takes a body that arrives slowly", async () => {
    const { url } = await start({ authRequired: false });
    const location = (await fetch(`${url}/v2/app/blobs/uploads/`, { method: "POST" })).headers.get("location")!;
    const connection = await RawConnection.open(url);
    try {
      await connection.write(head(`PATCH ${location} HTTP/1.1`, "Host: 127.0.0.1", "Content-Length: 10"));
      for (const byte of "0123456789") {
        await connection.write(byte);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const answer = await connection.answer();
      expect(answer?.status).toBe(202);
      expect(answer?.headers.range).toBe("0-9");
    } finally {
      connection.destroy();
    }
  });

  it("answers a manifest body cut off mid-way with 400, not a server fault, and keeps serving", async () => {
    const { url, emulator } = await start({ authRequired: false });
    const connection = await RawConnection.open(url);
    await connection.write(
      `${head("PUT /v2/app/manifests/v1 HTTP/1.1", "Host: 127.0.0.1", "Content-Length: 1000")}{"schemaVersion":`,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    connection.destroy();
    await expect.poll(() => emulator.requests.find((entry) => entry.method === "PUT")?.status).toBe(400);
    expect(errors).toEqual([]);
    const blob = await fetch(`${url}/v2/app/blobs/uploads/?digest=${sha256("x")}`, { method: "POST", body: "x" });
    expect(blob.status).toBe(201);
  });

  it("answers an oversized manifest with 413 before reading it", async () => {
    const { url } = await start({ authRequired: false });
    const answer = await exchange(
      url,
      head("PUT /v2/app/manifests/v1 HTTP/1.1", "Host: 127.0.0.1", `Content-Length: ${8 * 1024 * 1024}`),
    );
    expect(answer?.status).toBe(413);
    expect(rawErrorCode(answer)).toBe("MANIFEST_INVALID");
  });
});
