import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SeededImage } from "../../../src/emulator/index";
import { startEmulator, type StartedEmulator } from "../../support/emulator";
import { basic } from "./helpers";

const DENIED = {
  errors: [{ code: "DENIED", message: "The operation is disallowed on this registry, repository or image." }],
};

let started: StartedEmulator;
let image: SeededImage;
const auth = { authorization: basic("admin", "secret") };

beforeEach(async () => {
  started = await startEmulator({ users: { admin: "secret" } });
  image = await started.emulator.seedImage({ repository: "app", tags: ["v1", "v2"] });
});
afterEach(async () => started.close());

function call(method: string, path: string, init: RequestInit = {}) {
  return fetch(`${started.url}${path}`, {
    method,
    ...init,
    headers: { ...auth, ...(init.headers as Record<string, string>) },
  });
}

async function expectDenied(response: Response) {
  expect(response.status).toBe(405);
  expect(await response.json()).toEqual(DENIED);
}

async function manifestJson(): Promise<string> {
  return (await call("GET", `/v2/app/manifests/${image.digest}`)).text();
}

function putManifest(reference: string, body: string) {
  return call("PUT", `/v2/app/manifests/${reference}`, {
    headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" },
    body,
  });
}

describe("writeEnabled=false", () => {
  it("on the repository blocks manifest pushes and uploads", async () => {
    const body = await manifestJson();
    started.emulator.setAttributes({ repository: "app" }, { writeEnabled: false });
    await expectDenied(await putManifest("v3", body));
    await expectDenied(await call("POST", "/v2/app/blobs/uploads/"));
  });

  it("on a tag blocks moving it, but pushing other tags works", async () => {
    const other = await started.emulator.seedImage({ repository: "app" });
    const otherBody = await (await call("GET", `/v2/app/manifests/${other.digest}`)).text();
    started.emulator.setAttributes({ repository: "app", tag: "v1" }, { writeEnabled: false });
    await expectDenied(await putManifest("v1", otherBody));
    expect((await putManifest("v9", otherBody)).status).toBe(201);
  });

  it("on a manifest blocks re-pushing it and moving its tags away", async () => {
    const body = await manifestJson();
    const other = await started.emulator.seedImage({ repository: "app" });
    const otherBody = await (await call("GET", `/v2/app/manifests/${other.digest}`)).text();
    started.emulator.setAttributes({ repository: "app", digest: image.digest }, { writeEnabled: false });
    await expectDenied(await putManifest(image.digest, body));
    await expectDenied(await putManifest("v2", otherBody));
  });
});

describe("deleteEnabled=false", () => {
  it("on the repository blocks deleting it, its tags, manifests and blobs", async () => {
    started.emulator.setAttributes({ repository: "app" }, { deleteEnabled: false });
    await expectDenied(await call("DELETE", "/acr/v1/app"));
    await expectDenied(await call("DELETE", "/acr/v1/app/_tags/v1"));
    await expectDenied(await call("DELETE", `/v2/app/manifests/${image.digest}`));
    await expectDenied(await call("DELETE", `/v2/app/blobs/${image.layerDigests[0]}`));
  });

  it("on a tag blocks deleting the tag and the manifest it points at", async () => {
    started.emulator.setAttributes({ repository: "app", tag: "v1" }, { deleteEnabled: false });
    await expectDenied(await call("DELETE", "/acr/v1/app/_tags/v1"));
    await expectDenied(await call("DELETE", "/v2/app/manifests/v1"));
    await expectDenied(await call("DELETE", `/v2/app/manifests/${image.digest}`));
    await expectDenied(await call("DELETE", "/acr/v1/app"));
    expect((await call("DELETE", "/acr/v1/app/_tags/v2")).status).toBe(202);
  });

  it("on a manifest blocks deleting it", async () => {
    started.emulator.setAttributes({ repository: "app", digest: image.digest }, { deleteEnabled: false });
    await expectDenied(await call("DELETE", `/v2/app/manifests/${image.digest}`));
  });
});

describe("readEnabled=false", () => {
  it("on the repository blocks manifest and blob pulls but not metadata", async () => {
    started.emulator.setAttributes({ repository: "app" }, { readEnabled: false });
    await expectDenied(await call("GET", "/v2/app/manifests/v1"));
    await expectDenied(await call("GET", `/v2/app/blobs/${image.configDigest}`));
    expect((await call("GET", "/acr/v1/app")).status).toBe(200);
  });

  it("on a tag blocks pulls by that tag only; on a manifest blocks every pull of it", async () => {
    started.emulator.setAttributes({ repository: "app", tag: "v1" }, { readEnabled: false });
    await expectDenied(await call("GET", "/v2/app/manifests/v1"));
    expect((await call("GET", "/v2/app/manifests/v2")).status).toBe(200);
    started.emulator.setAttributes({ repository: "app", digest: image.digest }, { readEnabled: false });
    expect((await call("HEAD", "/v2/app/manifests/v2")).status).toBe(405);
    await expectDenied(await call("GET", `/v2/app/manifests/${image.digest}`));
  });
});

describe("listEnabled=false", () => {
  it("hides repositories from both catalogs, tags from both tag lists and manifests from _manifests", async () => {
    await started.emulator.seedImage({ repository: "other", tags: ["x"] });
    const list = async (path: string) => (await call("GET", path)).json() as Promise<any>;
    started.emulator.setAttributes({ repository: "app" }, { listEnabled: false });
    expect((await list("/acr/v1/_catalog")).repositories).toEqual(["other"]);
    expect((await list("/v2/_catalog")).repositories).toEqual(["other"]);
    started.emulator.setAttributes({ repository: "app", tag: "v1" }, { listEnabled: false });
    expect((await list("/acr/v1/app/_tags")).tags.map((tag: any) => tag.name)).toEqual(["v2"]);
    expect((await list("/v2/app/tags/list")).tags).toEqual(["v2"]);
    started.emulator.setAttributes({ repository: "app", digest: image.digest }, { listEnabled: false });
    expect((await list("/acr/v1/app/_manifests")).manifests).toEqual([]);
    expect((await call("GET", "/v2/app/manifests/v1")).status).toBe(200);
  });
});

it("PATCH through /acr/v1 enforces the same rules as setAttributes", async () => {
  const patched = await call("PATCH", "/acr/v1/app/_tags/v1", {
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ deleteEnabled: false }),
  });
  expect(patched.status).toBe(200);
  await expectDenied(await call("DELETE", "/acr/v1/app/_tags/v1"));
});
