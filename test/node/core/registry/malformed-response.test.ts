/**
 * A 200 whose JSON lacks what a result needs (`{}`, a tag without a digest, a manifest without its dates...) is a
 * MalformedResponseError (a RegistryError, so it has statusCode, method and url), never a result with `digest: ""`.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContainerRegistryClient, MalformedResponseError, RegistryError } from "../../../../src/index";

const DIGEST = `sha256:${"a".repeat(64)}`;
const TIME = "2024-05-01T10:00:00.0000000Z";
const FLAGS = { deleteEnabled: true, writeEnabled: true, listEnabled: true, readEnabled: true };
const GOOD_TAG = {
  name: "v1",
  digest: DIGEST,
  createdTime: TIME,
  lastUpdateTime: TIME,
  signed: false,
  changeableAttributes: FLAGS,
};
const GOOD_MANIFEST = {
  digest: DIGEST,
  imageSize: 10,
  createdTime: TIME,
  lastUpdateTime: TIME,
  architecture: "amd64",
  os: "linux",
  tags: ["v1"],
  changeableAttributes: FLAGS,
};

let server: Server;
let url: string;
/** What the server answers, by path: `_tags/v1` and `_manifests/<digest>`. */
let answers: { tag: unknown; manifest: unknown } = { tag: {}, manifest: {} };
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    seen.push(`${request.method} ${request.url}`);
    const body = JSON.stringify(request.url?.includes("/_tags/") ? answers.tag : answers.manifest);
    response
      .writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
      .end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function settle(run: () => Promise<unknown>): Promise<{ value?: unknown; error?: unknown }> {
  try {
    return { value: await run() };
  } catch (error) {
    return { error };
  }
}

function expectMalformed(outcome: { value?: unknown; error?: unknown }): void {
  expect(outcome.value, `resolved with ${JSON.stringify(outcome.value)}`).toBeUndefined();
  expect(MalformedResponseError, "MalformedResponseError is exported from acrkit").toBeTypeOf("function");
  expect(outcome.error).toBeInstanceOf(MalformedResponseError);
  expect(outcome.error).toBeInstanceOf(RegistryError);
  expect(outcome.error).toMatchObject({
    statusCode: 200,
    method: "GET",
    url: expect.stringContaining(`${url}/acr/v1/malformed/app/`),
  });
}

const { name: _name, ...tagWithoutName } = GOOD_TAG;
const { digest: _tagDigest, ...tagWithoutDigest } = GOOD_TAG;
const { createdTime: _tagCreated, ...tagWithoutCreated } = GOOD_TAG;
const { digest: _manifestDigest, ...manifestWithoutDigest } = GOOD_MANIFEST;
const { createdTime: _manifestCreated, ...manifestWithoutCreated } = GOOD_MANIFEST;

describe("getTagProperties", () => {
  it.each([
    ["{}", {}],
    ['{"tag":{}}', { tag: {} }],
    ["a tag without a name", { tag: tagWithoutName }],
    ["a tag without a digest", { tag: tagWithoutDigest }],
    ["a tag whose digest is a number", { tag: { ...GOOD_TAG, digest: 42 } }],
    ["a tag without createdTime", { tag: tagWithoutCreated }],
  ])("rejects a 200 with %s as a MalformedResponseError", async (_label, body) => {
    answers = { tag: body, manifest: {} };
    expectMalformed(await settle(() => new ContainerRegistryClient(url).getTagProperties("malformed/app", "v1")));
  });

  it("still maps a complete answer (the fields above are all it needs)", async () => {
    answers = { tag: { registry: "r", imageName: "malformed/app", tag: GOOD_TAG }, manifest: {} };
    expect(await new ContainerRegistryClient(url).getTagProperties("malformed/app", "v1")).toMatchObject({
      name: "v1",
      digest: DIGEST,
    });
  });
});

describe("getManifestProperties", () => {
  it.each([
    ["{}", {}],
    ['{"manifest":{}}', { manifest: {} }],
    ["a manifest without a digest", { manifest: manifestWithoutDigest }],
    ["a manifest without createdTime", { manifest: manifestWithoutCreated }],
  ])("by digest: rejects a 200 with %s as a MalformedResponseError", async (_label, body) => {
    answers = { tag: {}, manifest: body };
    expectMalformed(
      await settle(() => new ContainerRegistryClient(url).getManifestProperties("malformed/app", DIGEST)),
    );
  });

  it("by tag: a tag answer of {} is a MalformedResponseError, and no manifest request for an empty digest follows", async () => {
    answers = { tag: {}, manifest: { manifest: GOOD_MANIFEST } };
    seen.length = 0;
    expectMalformed(await settle(() => new ContainerRegistryClient(url).getManifestProperties("malformed/app", "v1")));
    expect(seen).toEqual(["GET /acr/v1/malformed/app/_tags/v1"]);
  });

  it("still maps a complete answer", async () => {
    answers = { tag: {}, manifest: { registry: "r", imageName: "malformed/app", manifest: GOOD_MANIFEST } };
    expect(await new ContainerRegistryClient(url).getManifestProperties("malformed/app", DIGEST)).toMatchObject({
      digest: DIGEST,
      architecture: "amd64",
    });
  });
});
