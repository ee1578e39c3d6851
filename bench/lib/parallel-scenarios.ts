/**
 * The parallel download scenarios: one blob through a link shaped like the field (a round trip, a rate per connection
 * as object storage gives one flow, a total rate as an access line gives all of them), acrkit's verified download and
 * `downloadBlobToFile` against curl | openssl (one connection) and against acrkit held to one connection; and the same
 * link without a per-connection cap, where more connections must not slow anything down.
 * @module
 */
import { join } from "node:path";
import { curlVerifiedDownloadScript, runCommand } from "./external";
import type { RunningLink } from "./link";
import { describeLink } from "./link-shape";
import type { AddContender } from "./link-scenarios";
import type { Sample } from "./report";
import type { Task } from "./tasks";

/** A blob in docker-registry's `repository`. */
export interface StoredBlob {
  size: number;
  digest: string;
}

/** What the parallel scenarios need from the orchestrator. */
export interface ParallelSetup {
  add: AddContender;
  worker: (task: Task) => Promise<Sample>;
  /** The field link: a per-connection cap under a total rate. */
  capped: RunningLink;
  /** The same round trip and total rate, no per-connection cap. */
  uncapped: RunningLink;
  /** Blobs to download through the capped link. */
  cappedBlobs: readonly StoredBlob[];
  /** Blobs to download through the uncapped link. */
  uncappedBlobs: readonly StoredBlob[];
  repository: string;
  /** Where `downloadBlobToFile` writes. */
  workDirectory: string;
}

/** Adds every contender of the parallel scenarios. */
export function addParallelContenders(setup: ParallelSetup): void {
  const { add, worker, repository } = setup;
  const D = "docker-registry" as const;
  const scenarios = [
    ...setup.cappedBlobs.map((blob) => ({ blob, link: setup.capped, toFile: true })),
    ...setup.uncappedBlobs.map((blob) => ({ blob, link: setup.uncapped, toFile: false })),
  ];
  for (const { blob, link, toFile } of scenarios) {
    const url = `http://${link.host}`;
    const scenario = `download ${blob.size / (1024 * 1024)} MiB, ${describeLink(link.shape)}`;
    const download = (extra: Partial<Extract<Task, { kind: "download" }>>) => () =>
      worker({
        kind: "download",
        impl: "acrkit-native",
        url,
        emulator: false,
        repository,
        digest: blob.digest,
        ...extra,
      });
    add(scenario, D, "curl | openssl dgst", async () => {
      const result = await runCommand(curlVerifiedDownloadScript(url, repository, blob.digest));
      return { ms: result.ms, bytes: blob.size, rssPeakMiB: result.rssPeakMiB };
    });
    add(scenario, D, "acrkit/node", download({}));
    add(scenario, D, "acrkit/node, one connection", download({ maxConnections: 1 }));
    if (toFile)
      add(
        scenario,
        D,
        "acrkit downloadBlobToFile",
        download({ toFile: join(setup.workDirectory, "parallel-download.bin") }),
      );
  }
}
