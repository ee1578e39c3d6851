/**
 * Registry profiles, driven with raw fetch: each profile's refusals and the upload paths it accepts.
 */
import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createEmulator, type RegistryProfile } from "../../../src/emulator/index";
import { startDockerRegistry } from "../../support/docker-registry";
import { startEmulator, type StartedEmulator } from "../../support/emulator";
import { errorCode, sha256 } from "./helpers";

const MIB = 1024 * 1024;

let started: StartedEmulator | undefined;
afterEach(async () => {
  await started?.close();
  started = undefined;
});

/** An open registry with the profile; `call` resolves paths (and relative Locations) against it. */
async function registry(profile: RegistryProfile) {
  started = await startEmulator({ authRequired: false, profile });
  const url = started.url;
  const call = (method: string, path: string, init: RequestInit = {}) => fetch(new URL(path, url), { method, ...init });
  const open = async () => {
    const response = await call("POST", "/v2/app/blobs/uploads/");
    expect(response.status).toBe(202);
    return response;
  };
  const patch = (location: string, body: Uint8Array<ArrayBuffer>, start: number) =>
    call("PATCH", location, {
      body,
      headers: {
        "content-type": "application/octet-stream",
        "content-range": `${start}-${start + body.byteLength - 1}`,
      },
    });
  // Compared by digest: toEqual on megabytes of bytes is far too slow.
  const stored = async (digest: string) =>
    sha256(new Uint8Array(await (await call("GET", `/v2/app/blobs/${digest}`)).arrayBuffer()));
  return { url, call, open, patch, stored };
}

/** Distinct bytes, so a chunk stored out of place changes the digest. */
function bytes(size: number, seed = 1): Uint8Array<ArrayBuffer> {
  return new Uint8Array(size).map((_, index) => (index * 7 + seed) % 251);
}

function join(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.concat(parts));
}

/** A body sent with chunked transfer encoding: no Content-Length, so only the bytes received can be checked. */
function streamed(data: Uint8Array): RequestInit {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let offset = 0; offset < data.byteLength; offset += MIB)
        controller.enqueue(data.subarray(offset, offset + MIB));
      controller.close();
    },
  });
  return { body, duplex: "half" } as RequestInit;
}

describe("profile: acr (default)", () => {
  it("sends no chunk minimum and takes a 21 MB monolithic PUT", async () => {
    const { open, call, stored } = await registry("acr");
    const response = await open();
    expect(response.headers.get("oci-chunk-min-length")).toBeNull();
    const blob = bytes(21_000_000);
    const put = await call("PUT", `${response.headers.get("location")!}&digest=${sha256(blob)}`, { body: blob });
    expect(put.status).toBe(201);
    expect(await stored(sha256(blob))).toBe(sha256(blob));
  });

  it("refuses an unknown profile name with a TypeError naming it", () => {
    expect(() => createEmulator({ profile: "no-such-registry" as RegistryProfile })).toThrow(
      /unknown emulator profile "no-such-registry"/,
    );
  });
});

describe("profile: single-request", () => {
  it("takes the whole blob in one PATCH, then a PUT with the digest", async () => {
    const { open, patch, call, stored } = await registry("single-request");
    const blob = bytes(3 * MIB);
    const patched = await patch((await open()).headers.get("location")!, blob, 0);
    expect(patched.status).toBe(202);
    expect(patched.headers.get("range")).toBe(`0-${blob.byteLength - 1}`);
    expect((await call("PUT", `${patched.headers.get("location")!}&digest=${sha256(blob)}`)).status).toBe(201);
    expect(await stored(sha256(blob))).toBe(sha256(blob));
  });

  it("takes a monolithic PUT and a single POST with the body", async () => {
    const { open, call, stored } = await registry("single-request");
    const blob = bytes(1000);
    const put = await call("PUT", `${(await open()).headers.get("location")!}&digest=${sha256(blob)}`, { body: blob });
    expect(put.status).toBe(201);
    const other = bytes(1000, 2);
    expect((await call("POST", `/v2/app/blobs/uploads/?digest=${sha256(other)}`, { body: other })).status).toBe(201);
    expect(await stored(sha256(other))).toBe(sha256(other));
  });

  it("refuses a second PATCH, or a PUT with a body after a PATCH, with 416 and keeps the session", async () => {
    const { open, patch, call } = await registry("single-request");
    const first = bytes(1000);
    const patched = await patch((await open()).headers.get("location")!, first, 0);
    const location = patched.headers.get("location")!;
    const second = await patch(location, bytes(1000, 2), 1000);
    expect(second.status).toBe(416);
    expect(await errorCode(second)).toBe("BLOB_UPLOAD_INVALID");
    expect(second.headers.get("range")).toBe("0-999");
    expect(second.headers.get("location")).toBe(location);
    const tail = bytes(10, 3);
    const putWithBody = await call("PUT", `${location}&digest=${sha256(join(first, tail))}`, { body: tail });
    expect(putWithBody.status).toBe(416);
    expect((await call("PUT", `${location}&digest=${sha256(first)}`)).status).toBe(201);
  });

  it("refuses a first PATCH whose Content-Range does not start at 0 with 416", async () => {
    const { open, patch } = await registry("single-request");
    const response = await patch((await open()).headers.get("location")!, bytes(10), 5);
    expect(response.status).toBe(416);
    expect(response.headers.get("range")).toBe("0-0");
  });
});

describe("profile: chunk-min", () => {
  it("announces OCI-Chunk-Min-Length: 5242880 on the POST", async () => {
    const { open } = await registry("chunk-min");
    expect((await open()).headers.get("oci-chunk-min-length")).toBe("5242880");
  });

  it("takes 5 MiB chunks, then a small last chunk in the PUT", async () => {
    const { open, patch, call, stored } = await registry("chunk-min");
    const parts = [bytes(5 * MIB, 1), bytes(5 * MIB, 2)];
    const tail = bytes(1234, 3);
    let location = (await open()).headers.get("location")!;
    let offset = 0;
    for (const part of parts) {
      const response = await patch(location, part, offset);
      expect(response.status).toBe(202);
      location = response.headers.get("location")!;
      offset += part.byteLength;
    }
    const whole = join(...parts, tail);
    expect((await call("PUT", `${location}&digest=${sha256(whole)}`, { body: tail })).status).toBe(201);
    expect(await stored(sha256(whole))).toBe(sha256(whole));
  });

  it("takes a whole small blob in one PATCH before an empty PUT (the short chunk is the last)", async () => {
    const { open, patch, call } = await registry("chunk-min");
    const blob = bytes(1000);
    const patched = await patch((await open()).headers.get("location")!, blob, 0);
    expect(patched.status).toBe(202);
    expect((await call("PUT", `${patched.headers.get("location")!}&digest=${sha256(blob)}`)).status).toBe(201);
  });

  it("refuses any chunk after a 1 MiB middle chunk with 400 SIZE_INVALID and stores none of it", async () => {
    const { open, patch, call } = await registry("chunk-min");
    const first = await patch((await open()).headers.get("location")!, bytes(5 * MIB), 0);
    const middle = await patch(first.headers.get("location")!, bytes(MIB, 2), 5 * MIB);
    expect(middle.status).toBe(202);
    const location = middle.headers.get("location")!;
    const after = await patch(location, bytes(5 * MIB, 3), 6 * MIB);
    expect(after.status).toBe(400);
    expect(await errorCode(after)).toBe("SIZE_INVALID");
    const tail = bytes(10, 4);
    const putWithBody = await call("PUT", `${location}&digest=${sha256(tail)}`, { body: tail });
    expect(putWithBody.status).toBe(400);
    // Without Content-Length the refusal comes after the bytes arrived; they are rolled back all the same.
    const chunked = await call("PATCH", location, streamed(bytes(2 * MIB, 5)));
    expect(chunked.status).toBe(400);
    const status = await call("GET", location);
    expect(status.status).toBe(204);
    expect(status.headers.get("range")).toBe(`0-${6 * MIB - 1}`);
  });
});

describe("profile: put-limit", () => {
  it("refuses a 21 MB monolithic PUT with 413 SIZE_INVALID and stores nothing", async () => {
    const { open, call } = await registry("put-limit");
    const blob = bytes(21_000_000);
    const location = (await open()).headers.get("location")!;
    const put = await call("PUT", `${location}&digest=${sha256(blob)}`, { body: blob });
    expect(put.status).toBe(413);
    expect(await errorCode(put)).toBe("SIZE_INVALID");
    const status = await call("GET", location);
    expect(status.headers.get("range")).toBe("0-0");
  });

  it("refuses a streamed body that passes the limit, rolling back what arrived", async () => {
    const { open, call } = await registry("put-limit");
    const location = (await open()).headers.get("location")!;
    const response = await call("PATCH", location, streamed(bytes(21_000_000)));
    expect(response.status).toBe(413);
    expect((await call("GET", location)).headers.get("range")).toBe("0-0");
  });

  it("takes the same blob in 8 MiB chunks, and a request of exactly 20,000,000 bytes", async () => {
    const { open, patch, call, stored } = await registry("put-limit");
    const blob = bytes(21_000_000);
    let location = (await open()).headers.get("location")!;
    for (let offset = 0; offset < blob.byteLength; offset += 8 * MIB) {
      const response = await patch(location, blob.subarray(offset, offset + 8 * MIB), offset);
      expect(response.status).toBe(202);
      location = response.headers.get("location")!;
    }
    expect((await call("PUT", `${location}&digest=${sha256(blob)}`)).status).toBe(201);
    expect(await stored(sha256(blob))).toBe(sha256(blob));
    const limit = bytes(20_000_000, 9);
    const exact = await call("POST", `/v2/app/blobs/uploads/?digest=${sha256(limit)}`, { body: limit });
    expect(exact.status).toBe(201);
    const over = join(limit, bytes(1));
    const single = await call("POST", `/v2/app/blobs/uploads/?digest=${sha256(over)}`, { body: over });
    expect(single.status).toBe(413);
  });
});

/** PATCHes `sent` bytes of a `declared`-byte body, then drops the connection: a body cut off mid-way. */
function cutPatch(url: URL, sent: number, declared: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const req = httpRequest(url, {
      method: "PATCH",
      headers: { "content-type": "application/octet-stream", "content-length": String(declared) },
    });
    req.on("error", () => resolve());
    req.write(bytes(sent), () => setTimeout(() => req.destroy(), 100));
  });
}

/** What a registry answers, status and OCI error code, to each request on an upload after a cut-off PATCH. */
async function afterCutPatch(base: string): Promise<Array<[number, string | undefined]>> {
  const call = (method: string, path: string, init: RequestInit = {}) =>
    fetch(new URL(path, base), { method, ...init });
  const octets = { "content-type": "application/octet-stream" };
  const post = await call("POST", "/v2/app/blobs/uploads/");
  const first = await call("PATCH", post.headers.get("location")!, { body: bytes(100), headers: octets });
  expect(first.status).toBe(202);
  const location = first.headers.get("location")!;
  await cutPatch(new URL(location, base), 400, 1000);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const answers: Array<[number, string | undefined]> = [];
  for (const [method, path, body] of [
    ["GET", location, undefined],
    ["PATCH", location, bytes(10)],
    ["PUT", `${location}&digest=${sha256(bytes(100))}`, undefined],
    ["GET", location, undefined],
  ] as const) {
    const response = await call(method, path, body ? { body, headers: octets } : {});
    answers.push([response.status, response.status >= 400 ? await errorCode(response) : undefined]);
  }
  return answers;
}

/** What a registry answers to each upload request without `_state`, then to a GET with it. */
async function withoutState(base: string): Promise<Array<[number, string | undefined]>> {
  const answers: Array<[number, string | undefined]> = [];
  for (const method of ["GET", "PATCH", "PUT", "DELETE"]) {
    const location = new URL(
      (await fetch(`${base}/v2/app/blobs/uploads/`, { method: "POST" })).headers.get("location")!,
      base,
    );
    const bare = new URL(location.pathname, base);
    if (method === "PUT") bare.search = `?digest=${sha256("")}`;
    const body = method === "PATCH" ? { body: bytes(3), headers: { "content-type": "application/octet-stream" } } : {};
    const response = await fetch(bare, { method, ...body });
    answers.push([response.status, await errorCode(response)]);
    answers.push([(await fetch(location)).status, undefined]);
  }
  return answers;
}

describe("profile: distribution", () => {
  it("answers after a cut-off PATCH, and without `_state`, exactly as docker-registry 2.8.2 does", async () => {
    const real = await startDockerRegistry();
    try {
      const expected = [...(await afterCutPatch(real.url)), ...(await withoutState(real.url))];
      const { url } = await registry("distribution");
      expect([...(await afterCutPatch(url)), ...(await withoutState(url))]).toEqual(expected);
      expect(expected[0]).toEqual([404, "BLOB_UPLOAD_INVALID"]);
      expect(expected.slice(4)).toContainEqual([204, undefined]);
    } finally {
      await real.stop();
    }
  });

  it("loses the session when a PATCH is cut off mid-body: later requests answer 404", async () => {
    const { url, open, patch, call } = await registry("distribution");
    const first = await patch((await open()).headers.get("location")!, bytes(100), 0);
    expect(first.status).toBe(202);
    const location = first.headers.get("location")!;
    await cutPatch(new URL(location, url), 400, 1000);
    await expect.poll(async () => (await call("GET", location)).status).toBe(404);
    const status = await call("GET", location);
    expect(await errorCode(status)).toBe("BLOB_UPLOAD_INVALID");
    const resumed = await patch(location, bytes(10), 100);
    expect(resumed.status).toBe(404);
    expect((await call("PUT", `${location}&digest=${sha256(bytes(100))}`)).status).toBe(404);
    // A new session works as usual.
    const blob = bytes(50);
    const fresh = await call("PUT", `${(await open()).headers.get("location")!}&digest=${sha256(blob)}`, {
      body: blob,
    });
    expect(fresh.status).toBe(201);
  });
});
