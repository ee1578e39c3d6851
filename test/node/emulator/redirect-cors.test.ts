import { afterEach, describe, expect, it } from "vitest";
import { createEmulator } from "../../../src/emulator/index";
import { startEmulator, type StartedEmulator } from "../../support/emulator";
import { basic } from "./helpers";

let started: StartedEmulator;
afterEach(async () => started?.close());
const auth = { authorization: basic("admin", "secret") };

describe("redirect mode", () => {
  it("answers blob GETs with 307 to another origin that serves the bytes and refuses Authorization", async () => {
    started = await startEmulator({ users: { admin: "secret" }, redirectBlobs: true });
    const digest = await started.emulator.seedBlob("app", "0123456789");
    const response = await fetch(`${started.url}/v2/app/blobs/${digest}`, { headers: auth, redirect: "manual" });
    expect(response.status).toBe(307);
    const location = new URL(response.headers.get("location")!);
    expect(location.origin).toBe(started.server.storageUrl);
    expect(location.origin).not.toBe(started.url);
    expect(location.searchParams.get("sig")).toBeTruthy();

    const leaked = await fetch(location, { headers: auth });
    expect(leaked.status).toBe(403);
    const clean = await fetch(location);
    expect(clean.status).toBe(200);
    expect(await clean.text()).toBe("0123456789");
    const ranged = await fetch(location, { headers: { range: "bytes=5-" } });
    expect(ranged.status).toBe(206);
    expect(await ranged.text()).toBe("56789");
    const forged = new URL(location);
    forged.searchParams.set("sig", "forged");
    expect((await fetch(forged)).status).toBe(403);

    const storage = started.emulator.requests.filter((entry) => entry.origin === "storage");
    expect(storage.map((entry) => [entry.status, entry.auth])).toEqual([
      [403, "basic"],
      [200, "none"],
      [206, "none"],
      [403, "none"],
    ]);
    const head = await fetch(`${started.url}/v2/app/blobs/${digest}`, { method: "HEAD", headers: auth });
    expect(head.status).toBe(200);
  });

  it("works in-process through emulator.fetch too", async () => {
    const emulator = createEmulator({ authRequired: false, redirectBlobs: true });
    const digest = await emulator.seedBlob("app", "in process");
    const redirect = await emulator.fetch(new Request(`http://registry.local/v2/app/blobs/${digest}`));
    expect(redirect.status).toBe(307);
    expect(new URL(redirect.headers.get("location")!).host).not.toBe("registry.local");
    const blob = await emulator.fetch(new Request(redirect.headers.get("location")!));
    expect(await blob.text()).toBe("in process");
  });
});

describe("CORS", () => {
  it("answers preflights without auth and exposes the registry headers", async () => {
    started = await startEmulator({ users: { admin: "secret" }, cors: true, redirectBlobs: true });
    const preflight = await fetch(`${started.url}/v2/app/blobs/uploads/`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:3000",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("PATCH");
    for (const header of ["Authorization", "Content-Range", "Range", "Content-Type"]) {
      expect(preflight.headers.get("access-control-allow-headers")).toContain(header);
    }
    const challenged = await fetch(`${started.url}/v2/`, { headers: { origin: "http://localhost:3000" } });
    expect(challenged.status).toBe(401);
    const exposed = challenged.headers.get("access-control-expose-headers")!;
    for (const header of [
      "Docker-Content-Digest",
      "Location",
      "Link",
      "Range",
      "Content-Range",
      "WWW-Authenticate",
      "Docker-Upload-UUID",
      "OCI-Subject",
      "OCI-Filters-Applied",
      "Content-Length",
    ]) {
      expect(exposed).toContain(header);
    }
    const digest = await started.emulator.seedBlob("app", "bytes");
    const redirect = await fetch(`${started.url}/v2/app/blobs/${digest}`, { headers: auth, redirect: "manual" });
    const storage = await fetch(redirect.headers.get("location")!, { headers: { origin: "http://localhost:3000" } });
    expect(storage.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
  });

  it("allows only listed origins, and sends nothing when CORS is off", async () => {
    started = await startEmulator({ cors: { origins: ["https://app.example"] } });
    const allowed = await fetch(`${started.url}/v2/`, { headers: { origin: "https://app.example" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example");
    const other = await fetch(`${started.url}/v2/`, { headers: { origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    await started.close();
    started = await startEmulator();
    const off = await fetch(`${started.url}/v2/`, { method: "OPTIONS", headers: { origin: "https://app.example" } });
    expect(off.headers.get("access-control-allow-origin")).toBeNull();
    expect(off.status).toBe(405);
  });
});
