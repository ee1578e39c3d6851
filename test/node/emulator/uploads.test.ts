import { request as httpRequest } from "node:http";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { basic, errorCode, sha256, useAdminEmulator } from "./helpers";

const admin = useAdminEmulator();
const call = admin.call;

async function startUpload(repository = "app") {
  const response = await call("POST", `/v2/${repository}/blobs/uploads/`);
  expect(response.status).toBe(202);
  return response;
}

async function blobBody(repository: string, digest: string) {
  const response = await call("GET", `/v2/${repository}/blobs/${digest}`);
  expect(response.status).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

describe("upload sessions", () => {
  it("opens a session with ACR's relative Location, Range 0-0 and Docker-Upload-UUID", async () => {
    const response = await startUpload("team/app");
    const uuid = response.headers.get("docker-upload-uuid")!;
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get("location")).toMatch(
      new RegExp(`^/v2/team/app/blobs/uploads/${uuid}\\?_nouploadcache=false&_state=[A-Za-z0-9_-]+$`),
    );
    expect(response.headers.get("range")).toBe("0-0");
  });

  it("completes a monolithic POST + PUT upload and serves the blob", async () => {
    const data = new TextEncoder().encode("hello world");
    const location = (await startUpload()).headers.get("location")!;
    const put = await call("PUT", `${location}&digest=${sha256(data)}`, {
      body: data,
      headers: { "content-type": "application/octet-stream" },
    });
    expect(put.status).toBe(201);
    expect(put.headers.get("location")).toBe(`/v2/app/blobs/${sha256(data)}`);
    expect(put.headers.get("docker-content-digest")).toBe(sha256(data));
    expect(await blobBody("app", sha256(data))).toEqual(data);
  });

  it("accepts a single POST with ?digest= and the body (201)", async () => {
    const data = new TextEncoder().encode("single post");
    const response = await call("POST", `/v2/app/blobs/uploads/?digest=${sha256(data)}`, { body: data });
    expect(response.status).toBe(201);
    expect(await blobBody("app", sha256(data))).toEqual(data);
  });

  it("takes chunks in order with Content-Range, rotating _state each step", async () => {
    const data = new Uint8Array(3000).map((_, index) => index % 251);
    let location = (await startUpload()).headers.get("location")!;
    const states = new Set<string>();
    for (let start = 0; start < data.length; start += 1000) {
      const chunk = data.subarray(start, start + 1000);
      const response = await call("PATCH", location, {
        body: chunk,
        headers: { "content-type": "application/octet-stream", "content-range": `${start}-${start + 999}` },
      });
      expect(response.status).toBe(202);
      expect(response.headers.get("range")).toBe(`0-${start + 999}`);
      location = response.headers.get("location")!;
      states.add(new URL(location, admin.started.url).searchParams.get("_state")!);
    }
    expect(states.size).toBe(3);
    const status = await call("GET", location);
    expect(status.status).toBe(204);
    expect(status.headers.get("range")).toBe("0-2999");
    expect((await call("PUT", `${location}&digest=${sha256(data)}`)).status).toBe(201);
    expect(await blobBody("app", sha256(data))).toEqual(data);
  });

  it("answers 416 to an out-of-order chunk and keeps the session usable", async () => {
    let location = (await startUpload()).headers.get("location")!;
    location = (await call("PATCH", location, { body: "abc", headers: { "content-range": "0-2" } })).headers.get(
      "location",
    )!;
    const gap = await call("PATCH", location, { body: "xyz", headers: { "content-range": "5-7" } });
    expect(gap.status).toBe(416);
    expect(gap.headers.get("range")).toBe("0-2");
    const status = await call("GET", location);
    expect(status.status).toBe(204);
    expect(status.headers.get("range")).toBe("0-2");
    const next = await call("PATCH", location, { body: "def", headers: { "content-range": "3-5" } });
    expect(next.status).toBe(202);
    expect((await call("PUT", `${next.headers.get("location")!}&digest=${sha256("abcdef")}`)).status).toBe(201);
  });

  it("appends PATCHes without Content-Range, refuses a stale _state and tolerates an absent one", async () => {
    const first = await startUpload();
    const stale = first.headers.get("location")!;
    const second = await call("PATCH", stale, { body: "abc" });
    expect(second.status).toBe(202);
    const again = await call("PATCH", stale, { body: "abc" });
    expect(again.status).toBe(404);
    expect(await errorCode(again)).toBe("BLOB_UPLOAD_INVALID");
    const bare = `/v2/app/blobs/uploads/${first.headers.get("docker-upload-uuid")}`;
    expect((await call("PUT", `${bare}?digest=${sha256("abc")}`)).status).toBe(201);
  });

  it("refuses a wrong digest with DIGEST_INVALID and drops the session", async () => {
    const location = (await startUpload()).headers.get("location")!;
    const put = await call("PUT", `${location}&digest=${sha256("other")}`, { body: "actual" });
    expect(put.status).toBe(400);
    expect(await errorCode(put)).toBe("DIGEST_INVALID");
    expect(await errorCode(await call("GET", location))).toBe("BLOB_UPLOAD_UNKNOWN");
  });

  it("verifies sha512 digests too", async () => {
    const digest = `sha512:${createHash("sha512").update("sha512 blob").digest("hex")}`;
    const location = (await startUpload()).headers.get("location")!;
    expect((await call("PUT", `${location}&digest=${digest}`, { body: "sha512 blob" })).status).toBe(201);
    expect(new TextDecoder().decode(await blobBody("app", digest))).toBe("sha512 blob");
  });

  it("cancels a session with DELETE (204), after which it is unknown", async () => {
    const location = (await startUpload()).headers.get("location")!;
    expect((await call("DELETE", location)).status).toBe(204);
    const after = await call("PATCH", location, { body: "x" });
    expect(after.status).toBe(404);
    expect(await errorCode(after)).toBe("BLOB_UPLOAD_UNKNOWN");
  });

  it("keeps the bytes of a PATCH cut off mid-body, so the client can resume from GET's Range", async () => {
    const location = (await startUpload()).headers.get("location")!;
    const url = new URL(location, admin.started.url);
    await new Promise<void>((resolve) => {
      const req = httpRequest(url, {
        method: "PATCH",
        headers: {
          authorization: basic("admin", "secret"),
          "content-type": "application/octet-stream",
          "content-length": "1000",
        },
      });
      req.on("error", () => resolve());
      req.write(new Uint8Array(400).fill(7), () => setTimeout(() => req.destroy(), 100));
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const status = await call("GET", location);
    expect(status.status).toBe(204);
    expect(status.headers.get("range")).toBe("0-399");
    const rest = new Uint8Array(600).fill(7);
    const resumed = await call("PATCH", location, { body: rest, headers: { "content-range": "400-999" } });
    expect(resumed.status).toBe(202);
    const whole = new Uint8Array(1000).fill(7);
    expect((await call("PUT", `${resumed.headers.get("location")!}&digest=${sha256(whole)}`)).status).toBe(201);
  });
});

describe("cross-repository mount", () => {
  it("mounts a blob the caller may pull (201) and opens a session otherwise (202)", async () => {
    const digest = await admin.started.emulator.seedBlob("source", "shared layer");
    const mounted = await call("POST", `/v2/target/blobs/uploads/?mount=${digest}&from=source`);
    expect(mounted.status).toBe(201);
    expect(mounted.headers.get("location")).toBe(`/v2/target/blobs/${digest}`);
    expect(mounted.headers.get("docker-content-digest")).toBe(digest);
    expect(new TextDecoder().decode(await blobBody("target", digest))).toBe("shared layer");
    const unknown = await call("POST", `/v2/target/blobs/uploads/?mount=${sha256("nothing")}&from=source`);
    expect(unknown.status).toBe(202);
    expect(unknown.headers.get("docker-upload-uuid")).toBeTruthy();
  });

  it("does not mount from a repository the token cannot pull", async () => {
    const digest = await admin.started.emulator.seedBlob("secret", "private layer");
    const token = await fetch(
      `${admin.started.url}/oauth2/token?service=${admin.started.service}&scope=repository:target:pull,push`,
      { headers: { authorization: basic("admin", "secret") } },
    );
    const bearer = `Bearer ${((await token.json()) as { access_token: string }).access_token}`;
    const response = await call("POST", `/v2/target/blobs/uploads/?mount=${digest}&from=secret`, {
      headers: { authorization: bearer },
    });
    expect(response.status).toBe(202);
  });
});

describe("blob reads", () => {
  it("serves HEAD, full GET and Range reads with 206, suffix ranges and 416", async () => {
    const digest = await admin.started.emulator.seedBlob("app", "0123456789");
    const head = await call("HEAD", `/v2/app/blobs/${digest}`);
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe("10");
    expect(head.headers.get("docker-content-digest")).toBe(digest);
    expect(head.headers.get("accept-ranges")).toBe("bytes");
    const part = await call("GET", `/v2/app/blobs/${digest}`, { headers: { range: "bytes=2-5" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 2-5/10");
    expect(await part.text()).toBe("2345");
    const open = await call("GET", `/v2/app/blobs/${digest}`, { headers: { range: "bytes=7-" } });
    expect(await open.text()).toBe("789");
    const suffix = await call("GET", `/v2/app/blobs/${digest}`, { headers: { range: "bytes=-3" } });
    expect(await suffix.text()).toBe("789");
    const bad = await call("GET", `/v2/app/blobs/${digest}`, { headers: { range: "bytes=10-12" } });
    expect(bad.status).toBe(416);
    expect(bad.headers.get("content-range")).toBe("bytes */10");
  });

  it("scopes blobs to repositories and deletes them (202, then 404 BLOB_UNKNOWN)", async () => {
    const digest = await admin.started.emulator.seedBlob("app", "data");
    expect(await errorCode(await call("GET", `/v2/other/blobs/${digest}`))).toBe("BLOB_UNKNOWN");
    expect(await errorCode(await call("GET", "/v2/app/blobs/sha256:nothex"))).toBe("DIGEST_INVALID");
    const deleted = await call("DELETE", `/v2/app/blobs/${digest}`);
    expect(deleted.status).toBe(202);
    expect(deleted.headers.get("docker-content-digest")).toBe(digest);
    const again = await call("DELETE", `/v2/app/blobs/${digest}`);
    expect(again.status).toBe(404);
    expect(await errorCode(again)).toBe("BLOB_UNKNOWN");
  });

  it("streams a 64 MiB blob up in chunks and back without corruption", async () => {
    const chunk = new Uint8Array(8 * 1024 * 1024).map((_, index) => (index * 31) % 256);
    const hash = createHash("sha256");
    let location = (await startUpload()).headers.get("location")!;
    for (let index = 0; index < 8; index++) {
      hash.update(chunk);
      const start = index * chunk.byteLength;
      const response = await call("PATCH", location, {
        body: chunk,
        headers: { "content-range": `${start}-${start + chunk.byteLength - 1}` },
      });
      location = response.headers.get("location")!;
    }
    const digest = `sha256:${hash.digest("hex")}`;
    expect((await call("PUT", `${location}&digest=${digest}`)).status).toBe(201);
    const download = await call("GET", `/v2/app/blobs/${digest}`);
    const check = createHash("sha256");
    let size = 0;
    const reader = download.body!.getReader();
    for (let piece = await reader.read(); !piece.done; piece = await reader.read()) {
      check.update(piece.value);
      size += piece.value.byteLength;
    }
    expect(size).toBe(64 * 1024 * 1024);
    expect(`sha256:${check.digest("hex")}`).toBe(digest);
  });
});
