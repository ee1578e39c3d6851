/**
 * Concurrency against the emulator: 200 metadata calls and 20 uploads of 16 MiB at once all succeed, with one token
 * fetch per scope and no unhandled rejection.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BasicCredential, ContainerRegistryClient } from "../../../src/platform/node/index";
import { startEmulator, type StartedEmulator } from "../../support/emulator";
import { FaultReport } from "../../support/faults/report";
import { ADMIN, readAll, seededBytes, sha256 } from "../../support/faults/setup";

const MiB = 1024 * 1024;
const report = new FaultReport("concurrency");
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
let started: StartedEmulator;

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  started = await startEmulator({ users: { [ADMIN.username]: ADMIN.password } });
  await started.emulator.seedImage({ repository: "busy/app", tags: ["v1"] });
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  report.write();
  await started.close();
});

const tokenFetches = () => started.emulator.requests.filter((entry) => entry.path.startsWith("/oauth2/token"));

describe("concurrency", () => {
  it("200 concurrent metadata calls succeed with one token fetch", async () => {
    const client = new ContainerRegistryClient(started.url, new BasicCredential(ADMIN.username, ADMIN.password));
    started.emulator.clearRequests();
    const results = await Promise.all(
      Array.from({ length: 200 }, () => report.operation(() => client.getRepositoryProperties("busy/app"))),
    );
    expect(results.every((properties) => properties.name === "busy/app")).toBe(true);
    expect(tokenFetches()).toHaveLength(1);
    expect(unhandled).toEqual([]);
  });

  it("20 concurrent 16 MiB uploads succeed with one token fetch for the push scope", async () => {
    const client = new ContainerRegistryClient(started.url, new BasicCredential(ADMIN.username, ADMIN.password), {
      chunkSize: 4 * MiB,
    });
    started.emulator.clearRequests();
    const blobs = Array.from({ length: 20 }, (_, index) => seededBytes(16 * MiB, 100 + index));
    const results = await Promise.all(
      blobs.map((bytes) => report.operation(() => client.uploadBlob("busy/app", bytes))),
    );
    results.forEach((result, index) => expect(result).toEqual({ digest: sha256(blobs[index]!), size: 16 * MiB }));
    expect(tokenFetches()).toHaveLength(1);
    const check = await client.downloadBlob("busy/app", results[7]!.digest);
    expect(report.compare(blobs[7]!, await readAll(check.body))).toBe(0);
    expect(unhandled).toEqual([]);
  });
});
