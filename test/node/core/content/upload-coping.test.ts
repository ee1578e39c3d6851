/**
 * How uploads cope with registries in the field, against the emulator's registry profiles over real HTTP: each test
 * names the registry-quirks row it plays.
 */
import { createHash, randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { RegistryProfile } from "../../../../src/emulator/index";
import { BasicCredential, ContainerRegistryClient, type RequestLogEntry } from "../../../../src/index";
import { sizeLimitIn } from "../../../../src/core/content/upload-limit";
import { UploadTraits } from "../../../../src/core/content/upload-traits";
import { startEmulator, type StartedEmulator } from "../../../support/emulator";

const MIB = 1024 * 1024;
const USER = { username: "admin", password: "coping-password" };

let started: StartedEmulator | undefined;
afterEach(async () => {
  await started?.close();
  started = undefined;
});

async function registry(profile: RegistryProfile) {
  started = await startEmulator({ profile, users: { [USER.username]: USER.password } });
  const url = started.url;
  const newClient = () => {
    const log: RequestLogEntry[] = [];
    const client = new ContainerRegistryClient(url, new BasicCredential(USER.username, USER.password), {
      logger: (entry) => log.push(entry),
    });
    return { client, log };
  };
  return { emulator: started.emulator, newClient };
}

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

const statuses = (log: RequestLogEntry[], method: string, status: number) =>
  log.filter((entry) => entry.method === method && entry.status === status).length;

describe("a request-size limit learned from the refusal", () => {
  it("reads GHCR's 4.00MiB from its 416 on the first chunk: one refusal, then 4 MiB chunks, none on the next upload (registry-quirks row 13)", async () => {
    const { newClient } = await registry("ghcr");
    const { client, log } = newClient();
    const bytes = new Uint8Array(randomBytes(9 * MIB + 5));
    expect(await client.uploadBlob("coping/ghcr", new Blob([bytes]))).toEqual({
      digest: sha256(bytes),
      size: bytes.byteLength,
    });
    expect(statuses(log, "PATCH", 416)).toBe(1);
    // 9 MiB in chunks of at most 4 MiB (any larger one would get a 416): 4, 4 and 1 MiB.
    expect(statuses(log, "PATCH", 202)).toBe(3);
    log.length = 0;
    const again = new Uint8Array(randomBytes(9 * MIB + 5));
    await client.uploadBlob("coping/ghcr", new Blob([again]));
    expect(statuses(log, "PATCH", 416)).toBe(0);
  });

  it("halves toward a limit an HTML 413 with Connection: close does not name, and remembers it (registry-quirks row 57)", async () => {
    const { newClient } = await registry("harbor");
    const { client, log } = newClient();
    const bytes = new Uint8Array(randomBytes(3 * MIB + 5));
    expect(await client.uploadBlob("coping/harbor", bytes)).toEqual({ digest: sha256(bytes), size: bytes.byteLength });
    // 3 MiB, then 1.5 MiB, both over nginx's 1 MiB; 768 KiB is taken.
    expect(log.filter((entry) => entry.status === 413)).toHaveLength(2);
    log.length = 0;
    await client.uploadBlob("coping/harbor", new Uint8Array(randomBytes(3 * MIB)));
    expect(log.filter((entry) => entry.status === 413)).toHaveLength(0);
  });

  it("finds sizes only in the registry's words, never in a session id", () => {
    expect(sizeLimitIn("the request body is too large and exceeds the maximum permissible limit of 4.00MiB")).toBe(
      4 * MIB,
    );
    expect(sizeLimitIn("a request body may not exceed 20000000 bytes")).toBe(20_000_000);
    expect(sizeLimitIn("upload a4a5539a-6331-4633-8724-9a5f0d3a3eaa refused")).toBeUndefined();
    expect(sizeLimitIn("413 Request Entity Too Large")).toBeUndefined();
  });

  it("takes a named limit in one step and halves otherwise, never growing the limit", () => {
    const traits = new UploadTraits();
    expect(traits.refusedBody(16 * MIB, 4 * MIB)).toBe(4 * MIB);
    expect(traits.refusedBody(4 * MIB)).toBe(2 * MIB);
    expect(traits.refusedBody(8 * MIB, 6 * MIB)).toBe(2 * MIB);
    expect(traits.refusedBody(1, 0)).toBe(1);
  });
});

describe("chunk answers", () => {
  it("takes ECR's 201 for a chunk and keeps its own offset while ECR's Range stalls, with no status query (registry-quirks rows 1, 2, 3)", async () => {
    const { newClient } = await registry("ecr");
    const { client, log } = newClient();
    const bytes = new Uint8Array(randomBytes(16 * MIB + 5));
    expect(await client.uploadBlob("coping/ecr", bytes, { chunkSize: 5 * MIB })).toEqual({
      digest: sha256(bytes),
      size: bytes.byteLength,
    });
    // 5, 5, 5 and 1 MiB: the Range of the third and fourth answers still says 10 MiB.
    expect(statuses(log, "PATCH", 201)).toBe(4);
    expect(log.filter((entry) => entry.method === "GET")).toHaveLength(0);
  });

  it("sends the whole blob by PATCH when Artifactory refuses it in the PUT (registry-quirks row 46)", async () => {
    const { newClient } = await registry("artifactory");
    const { client } = newClient();
    const bytes = new Uint8Array(randomBytes(64 * 1024));
    expect(await client.uploadBlob("coping/artifactory", bytes)).toEqual({
      digest: sha256(bytes),
      size: bytes.byteLength,
    });
  });
});

describe("existence checks and mounts", () => {
  it("uploads when the blob HEAD, redirected to storage signed for GET, answers 403 (registry-quirks rows 43, 60)", async () => {
    const { emulator, newClient } = await registry("gitlab");
    const { client } = newClient();
    const bytes = new Uint8Array(randomBytes(64 * 1024));
    await emulator.seedBlob("coping/gitlab", bytes);
    expect(await client.uploadBlob("coping/gitlab", bytes)).toEqual({ digest: sha256(bytes), size: bytes.byteLength });
  });

  it.each([
    ["docker-hub", "a three-segment source, 400 {details} (registry-quirks row 20)", "gar/team/app"],
    ["harbor", "a project that does not exist, 401 (registry-quirks row 35)", "ghost/app"],
    ["ecr", "202 with a session (registry-quirks row 12)", "coping/source"],
  ] as const)("%s: a mount refused as %s is 'not mounted' (a copy then uploads)", async (profile, _why, from) => {
    const { emulator, newClient } = await registry(profile);
    const { client } = newClient();
    const digest = await emulator.seedBlob("coping/source", new Uint8Array(randomBytes(1024)));
    expect(await client.mountBlob("coping/target", digest, from)).toEqual({ mounted: false });
  });
});
