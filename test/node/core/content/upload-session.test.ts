/**
 * The upload session seam against real registries: the moving Location, PATCH offsets, the status query, completion
 * and cancellation, with no uploader around it.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Authenticator } from "../../../../src/core/auth/authenticator";
import { Pipeline } from "../../../../src/core/auth/pipeline";
import type { ContentContext } from "../../../../src/core/content/context";
import { UploadSession, UploadSessionLost } from "../../../../src/core/content/upload-session";
import { Requester } from "../../../../src/core/http/requester";
import { RetryPolicy } from "../../../../src/core/http/retry-policy";
import { SecretStore } from "../../../../src/core/http/secret-store";
import { Transport } from "../../../../src/core/http/transport";
import { BasicCredential } from "../../../../src/index";
import { EMULATOR_USER, REGISTRY_KINDS, startRegistry, uniqueRepository, type TestRegistry } from "./support";

/** What UploadSession reads of a content context: the pipeline, the registry's URL and the retry policy's backoff. */
function sessionContext(url: string, kind: string): ContentContext {
  const endpoint = new URL(url);
  const retry = new RetryPolicy();
  const requester = new Requester(new Transport(), retry, new SecretStore());
  const credential =
    kind === "emulator" ? new BasicCredential(EMULATOR_USER.username, EMULATOR_USER.password) : undefined;
  const authenticator = new Authenticator(credential, requester, {
    endpoint,
    audience: "https://containerregistry.azure.net",
  });
  return {
    pipeline: new Pipeline(requester, authenticator),
    endpoint,
    loginServer: endpoint.host,
    retry,
  } as unknown as ContentContext;
}

const sha256 = (bytes: Uint8Array) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

describe.each(REGISTRY_KINDS)("UploadSession against %s", (kind) => {
  let registry: TestRegistry;
  let context: ContentContext;
  beforeAll(async () => {
    registry = await startRegistry(kind);
    context = sessionContext(registry.url, kind);
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it("appends chunks at their offsets, follows each Location, reports what it holds, and completes with the digest", async () => {
    const repository = uniqueRepository("session");
    const data = new Uint8Array(3000).map((_, index) => index % 251);
    const session = await UploadSession.start(context, repository);
    const first = session.location.href;
    await session.append(data.subarray(0, 1000), 0, 1000);
    expect(session.location.href).not.toBe(first);
    expect(await session.status()).toMatchObject({ held: 1000, ambiguous: false, answer: { statusCode: 204 } });
    await session.append(data.subarray(1000, 2000), 1000, 1000);
    const digest = await session.complete(sha256(data), undefined, data.subarray(2000));
    expect(digest).toBe(sha256(data));
    const stored = await registry.raw(`/v2/${repository}/blobs/${sha256(data)}`);
    expect(new Uint8Array(await stored.arrayBuffer())).toEqual(data);
  });

  it("an empty session's status is ambiguous, and a cancelled session is lost to the status query", async () => {
    const session = await UploadSession.start(context, uniqueRepository("session-cancel"));
    expect(await session.status()).toMatchObject({ held: 0, ambiguous: true });
    await session.cancel();
    await expect(session.status()).rejects.toBeInstanceOf(UploadSessionLost);
  });

  it("a chunk that does not continue the session: the emulator's 416 names its own status and URL; distribution appends it", async () => {
    const session = await UploadSession.start(context, uniqueRepository("session-gap"));
    await session.append(new Uint8Array(10), 0, 10);
    const error = await session.append(new Uint8Array(10), 20, 10).catch((caught: unknown) => caught);
    if (kind === "docker-registry") {
      // distribution 2.8.2 appends without reading Content-Range: the uploader, not the registry, keeps the offsets.
      expect(error).toBeUndefined();
      expect(await session.status()).toMatchObject({ held: 20 });
    } else {
      expect(error).toMatchObject({ statusCode: 416 });
      expect((error as { url: string }).url).toContain("/blobs/uploads/");
    }
    await session.cancel();
  });
});
