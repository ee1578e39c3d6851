/**
 * `npm run bench`: acrkit against curl, skopeo and @azure/container-registry on loopback registries.
 *
 * Every round runs every contender of every scenario once, in an order rotated per round, so that slow phases of a
 * shared, noisy machine spread over all contenders; medians over the rounds and ratios within this one run are
 * what the report shows. Writes bench/results.json and bench/results.svg and prints a table.
 *
 * Options: `--rounds N` (default 3), `--budget SECONDS` (default 520: no round starts that would end later),
 * `--small` (64 MiB instead of 1 GiB, for a quick check), `--no-browser`, `--only GROUP[,GROUP]` (groups:
 * `loopback`, `link`, `hashing`, `browser`; results of a partial run go to bench/.work/, never over the committed ones).
 * @module
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { startDockerRegistry } from "../test/support/docker-registry";
import { DEFAULT_CHUNK_SIZE } from "../src/core/client-options";
import { browserHashThroughput } from "./lib/browser-hash";
import { browserFileUpload } from "./lib/browser-upload";
import { makeCertificate } from "./lib/cert";
import {
  curlDownloadScript,
  curlUploadScript,
  curlVerifiedDownloadScript,
  runCommand,
  skopeoPullScript,
  skopeoPushScript,
} from "./lib/external";
import { ensureRandomFile, makeImageLayout } from "./lib/fixtures";
import { startLink, type RunningLink } from "./lib/link";
import { describeLink, FIELD_LINK } from "./lib/link-shape";
import { addParallelContenders } from "./lib/parallel-scenarios";
import { addLinkContenders, type RegistryName } from "./lib/link-scenarios";
import { renderSvg } from "./lib/chart";
import { cliCopyBench } from "./cli-copy";
import { buildReport, printTable, type Sample, type Samples } from "./lib/report";
import { bundleWorker, controlGet, ROOT, runWorker, startEmulatorHttps, workerEnv } from "./lib/servers";
import type { Task } from "./lib/tasks";

const MIB = 1024 * 1024;
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const rounds = Number(args[args.indexOf("--rounds") + 1] ?? 3) || 3;
const small = flag("--small");
const BIG = small ? 64 * MIB : 1024 * MIB;
const SWEEP = small ? 32 * MIB : 256 * MIB;
const LAYERS = 50;
const LAYER_SIZE = 2 * MIB;
const TAGS = 5000;
const CALLS = small ? 100 : 1000;
/** The link the many-layer scenarios also run over, where concurrency has latency to hide. */
const LAYER_LINK = { roundTripMs: 20, bytesPerSecond: 50e6 };
const RTT_MS = LAYER_LINK.roundTripMs;
/** The links of the single-blob scenarios over the link model, and their blob. */
const LINK_ROUND_TRIPS_MS = [40, 100];
const LINK_BYTES_PER_SECOND = 50e6;
const LINK_BLOB = small ? 32 * MIB : 128 * MIB;
const CHUNK_SIZES = [4, 8, 16, 32, 64].map((mib) => mib * MIB);
/** The same link without a per-connection cap. */
const OPEN_LINK = { roundTripMs: 100, totalBytesPerSecond: 50e6 };
/** Blobs of the parallel scenarios: over the field link (`--parallel-gib` adds 1 GiB, run once), and without a cap. */
const FIELD_BLOBS = [128 * MIB, ...(flag("--parallel-gib") ? [1024 * MIB] : [])];
const OPEN_BLOBS = [16 * MIB, 128 * MIB];
const WORK = join(ROOT, "bench/.work");
/** Rounds stop early rather than pass this many seconds (`--budget`); the hashing runs after them. */
const BUDGET_SECONDS = Number(args[args.indexOf("--budget") + 1] ?? 520) || 520;
/** Groups of scenarios a run can be limited to with `--only`. */
const GROUPS = ["loopback", "link", "parallel", "hashing", "browser", "cli"] as const;
const only = args.includes("--only") ? (args[args.indexOf("--only") + 1] ?? "").split(",") : undefined;
for (const group of only ?? []) {
  if (!(GROUPS as readonly string[]).includes(group))
    throw new Error(`--only: unknown group ${group} (groups: ${GROUPS.join(", ")})`);
}
const wants = (group: (typeof GROUPS)[number]) => !only || only.includes(group);
/** Only a full-size run of every group replaces the committed bench/results.*. */
const writesCommittedResults = !small && !only;

/** One contender of a scenario: how to run it once. */
interface Contender {
  scenario: string;
  registry: RegistryName;
  name: string;
  run(round: number): Promise<Sample>;
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const load = [loadavg()[0]!];
  mkdirSync(WORK, { recursive: true });
  log(`acrkit bench: ${rounds} rounds, ${BIG / MIB} MiB blob, ${cpus().length} CPUs, load ${loadavg()[0]!.toFixed(2)}`);

  await bundleWorker();
  const cert = makeCertificate(join(WORK, "tls"));
  const env = workerEnv(cert.caPath);
  const docker = await startDockerRegistry();
  const emulator = await startEmulatorHttps(cert.certPath, cert.keyPath);
  const dockerHost = new URL(docker.url).host;
  const links: RunningLink[] = [];
  const on = { docker: { url: docker.url, emulator: false }, emulator: { url: emulator.url, emulator: true } } as const;
  const worker = (task: Task) => runWorker(task, env);

  try {
    const contenders: Contender[] = [];
    const add = (scenario: string, registry: RegistryName, name: string, run: Contender["run"]) =>
      contenders.push({ scenario, registry, name, run });
    if (wants("loopback")) {
      const big = ensureRandomFile(join(WORK, `blob-${BIG / MIB}m.bin`), BIG);
      const sweepFile = ensureRandomFile(join(WORK, `blob-${SWEEP / MIB}m.bin`), SWEEP);
      const slow = await startLink(dockerHost, LAYER_LINK);
      links.push(slow);
      log("seeding: the big blob, a 50-layer image and 5,000 tags in both registries");
      await runCommand(curlUploadScript(docker.url, "bench/big", big.path, big.digest));
      await worker({ kind: "upload", impl: "acrkit-native", ...on.emulator, repository: "benchbig", file: big.path });
      const pullLayout = join(WORK, "layout-pull");
      makeImageLayout(pullLayout, LAYERS, LAYER_SIZE, "v1");
      await runCommand(skopeoPushScript(pullLayout, "v1", dockerHost, "bench/pullsrc"));
      await worker({
        kind: "push-image",
        impl: "acrkit-native",
        ...on.emulator,
        repository: "pullsrc",
        tag: "v1",
        layout: pullLayout,
        concurrency: 4,
      });
      await controlGet(`${emulator.url}/__bench/seed-tags?repository=tagged&count=${TAGS}`, cert.caPath);
      contenders.push(
        ...defineContenders({ docker, emulator, dockerHost, slowHost: slow.host, on, big, sweepFile, worker }),
      );
    }
    if (wants("link")) {
      const blob = ensureRandomFile(join(WORK, `blob-${LINK_BLOB / MIB}m.bin`), LINK_BLOB);
      log(
        `link model: ${LINK_ROUND_TRIPS_MS.join(" and ")} ms round trip, ${LINK_BYTES_PER_SECOND / 1e6} MB/s per connection, ${LINK_BLOB / MIB} MiB blob`,
      );
      await runCommand(curlUploadScript(docker.url, "bench/link", blob.path, blob.digest));
      const dockerLinks = await Promise.all(
        LINK_ROUND_TRIPS_MS.map((roundTripMs) =>
          startLink(dockerHost, { roundTripMs, bytesPerSecond: LINK_BYTES_PER_SECOND }),
        ),
      );
      const emulatorLink = await startLink(new URL(emulator.url).host, dockerLinks[0]!.shape);
      links.push(...dockerLinks, emulatorLink);
      addLinkContenders({ add, worker, dockerLinks, emulatorLink, blob, repository: "bench/link" });
    }

    if (wants("parallel")) {
      const sizes = [...new Set([...FIELD_BLOBS, ...OPEN_BLOBS])];
      const stored = new Map<number, { size: number; digest: string }>();
      for (const size of sizes) {
        const file = ensureRandomFile(join(WORK, `blob-${size / MIB}m.bin`), size);
        await runCommand(curlUploadScript(docker.url, "bench/parallel", file.path, file.digest));
        stored.set(size, { size, digest: file.digest });
      }
      log(`parallel downloads: ${describeLink(FIELD_LINK)}; ${describeLink(OPEN_LINK)}`);
      const [capped, uncapped] = await Promise.all([
        startLink(dockerHost, FIELD_LINK),
        startLink(dockerHost, OPEN_LINK),
      ]);
      links.push(capped!, uncapped!);
      addParallelContenders({
        add,
        worker,
        capped: capped!,
        uncapped: uncapped!,
        cappedBlobs: FIELD_BLOBS.map((size) => stored.get(size)!),
        uncappedBlobs: OPEN_BLOBS.map((size) => stored.get(size)!),
        repository: "bench/parallel",
        workDirectory: WORK,
      });
    }

    const samples: Samples = new Map();
    const roundsStarted = Date.now();
    let roundsCompleted = 0;
    for (let round = 0; round < rounds && contenders.length > 0; round++) {
      // The whole run must end within ten minutes on a busy machine: no round starts that would not finish in the
      // budget (the hashing measurements after the rounds take about a minute).
      const perRound = roundsCompleted > 0 ? (Date.now() - roundsStarted) / roundsCompleted : 0;
      if (roundsCompleted >= 2 && Date.now() - startedAt + perRound > BUDGET_SECONDS * 1000) {
        log(`stopping after ${roundsCompleted} rounds: another would pass the ${BUDGET_SECONDS} s budget`);
        break;
      }
      log(`round ${round + 1}/${rounds} (load ${loadavg()[0]!.toFixed(2)})`);
      // Grouped by scenario so that the contenders of one comparison run close together in time; rotated inside.
      for (const group of groupBy(contenders, (contender) => contender.scenario)) {
        for (let i = 0; i < group.length; i++) {
          const contender = group[(i + round) % group.length]!;
          const key = [contender.scenario, contender.registry, contender.name].join("\t");
          const sample = await contender.run(round);
          samples.set(key, [...(samples.get(key) ?? []), sample]);
        }
      }
      load.push(loadavg()[0]!);
      roundsCompleted++;
    }

    if (wants("cli")) {
      log("cli: acrkit cp vs skopeo copy between two registries over the 40 ms link; acrkit --version start");
      const cli = await cliCopyBench({ rounds, small, work: WORK });
      writeFileSync(join(WORK, "cli-copy.json"), `${JSON.stringify(cli, null, 2)}\n`);
      log(
        `cli: cp ${cli.copyRatio.toFixed(2)}x skopeo copy (digests match: ${cli.digestsMatch}); --version ${cli.versionOverheadMs.toFixed(0)} ms over a bare node start`,
      );
    }

    let nodeHashing: Record<string, unknown> = {};
    if (wants("hashing")) {
      log("hashing: node:crypto vs acrkit's hashers");
      const hashing = await runCommand(`node --import tsx bench/hash-node.ts ${small ? 64 : 256} 5`);
      nodeHashing = JSON.parse(hashing.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
    }
    const browserHashing = await inChromium(wants("browser") && !flag("--no-browser"), () =>
      browserHashThroughput(small ? 64 : 256, 5),
    );
    if (wants("browser") && !flag("--no-browser"))
      log(`Chromium: ${BIG / MIB} MiB File upload to the emulator, long tasks observed`);
    const browserUpload = await inChromium(wants("browser") && !flag("--no-browser"), () =>
      browserFileUpload(BIG / MIB, small ? 1 : 3),
    );

    const report = buildReport({
      samples,
      nodeHashing,
      browserHashing,
      browserUpload,
      meta: {
        date: new Date().toISOString(),
        node: process.version,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        rounds: roundsCompleted,
        roundsRequested: rounds,
        bigBlobBytes: BIG,
        sweepBlobBytes: SWEEP,
        layers: LAYERS,
        layerBytes: LAYER_SIZE,
        tags: TAGS,
        metadataCalls: CALLS,
        defaultChunkSize: DEFAULT_CHUNK_SIZE,
        loadAverages: load,
        durationSeconds: 0,
      },
    });
    report.meta.durationSeconds = Math.round((Date.now() - startedAt) / 1000);
    if (writesCommittedResults) {
      writeFileSync(join(ROOT, "bench/results.json"), `${JSON.stringify(report, null, 2)}\n`);
      writeFileSync(join(ROOT, "bench/results.svg"), renderSvg(report));
    } else {
      const name = `results-${[small ? "small" : "", ...(only ?? [])].filter(Boolean).join("-")}`;
      writeFileSync(join(WORK, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
      writeFileSync(join(WORK, `${name}.svg`), renderSvg(report));
      log(`results in bench/.work/${name}.json and .svg`);
    }
    printTable(report);
    log(`done in ${report.meta.durationSeconds} s`);
  } finally {
    await Promise.all(links.map((link) => link.close()));
    await emulator.stop();
    await docker.stop();
  }
}

interface Setup {
  docker: { url: string };
  emulator: { url: string };
  dockerHost: string;
  /** docker-registry behind the link model. */
  slowHost: string;
  on: { docker: { url: string; emulator: false }; emulator: { url: string; emulator: true } };
  big: { path: string; size: number; digest: string };
  sweepFile: { path: string; size: number; digest: string };
  worker: (task: Task) => Promise<Sample & { extra?: Record<string, unknown> }>;
}

function defineContenders(setup: Setup): Contender[] {
  const { on, big, sweepFile, worker, docker, dockerHost, slowHost } = setup;
  const list: Contender[] = [];
  const add = (scenario: string, registry: Contender["registry"], name: string, run: Contender["run"]) =>
    list.push({ scenario, registry, name, run });
  const D = "docker-registry" as const;
  const E = "emulator (https)" as const;
  let runId = 0;
  const fresh = (prefix: string) => `${prefix}${Date.now().toString(36)}${(runId++).toString(36)}`;

  // 1 GiB upload. curl is the practical limit. (hash-wasm only changes the hashing, which overlaps the transfer in
  // an upload; it is measured on the download, where hashing is on the critical path, and on its own below.)
  add("upload 1 GiB", D, "curl (POST + PUT)", async () =>
    external(await runCommand(curlUploadScript(docker.url, "bench/big", big.path, big.digest)), big.size),
  );
  add("upload 1 GiB", D, "acrkit/node", () =>
    worker({ kind: "upload", impl: "acrkit-native", ...on.docker, repository: "bench/big", file: big.path }),
  );
  add("upload 1 GiB", E, "acrkit/node", () =>
    worker({ kind: "upload", impl: "acrkit-native", ...on.emulator, repository: "benchbig", file: big.path }),
  );
  add("upload 1 GiB", E, "@azure/container-registry", () =>
    worker({ kind: "upload", impl: "azure", ...on.emulator, repository: "benchbig", file: big.path }),
  );

  // 1 GiB download, digest verified (raw curl only for information).
  add("download 1 GiB", D, "curl (no verification)", async () =>
    external(await runCommand(curlDownloadScript(docker.url, "bench/big", big.digest)), big.size),
  );
  add("download 1 GiB", D, "curl | openssl dgst", async () =>
    external(await runCommand(curlVerifiedDownloadScript(docker.url, "bench/big", big.digest)), big.size),
  );
  add("download 1 GiB", D, "acrkit/node", () =>
    worker({ kind: "download", impl: "acrkit-native", ...on.docker, repository: "bench/big", digest: big.digest }),
  );
  add("download 1 GiB", D, "acrkit/node, hashing on the receiving thread", () =>
    worker({ kind: "download", impl: "acrkit-sync", ...on.docker, repository: "bench/big", digest: big.digest }),
  );
  add("download 1 GiB", D, "acrkit hash-wasm", () =>
    worker({ kind: "download", impl: "acrkit-wasm", ...on.docker, repository: "bench/big", digest: big.digest }),
  );
  add("download 1 GiB", E, "acrkit/node", () =>
    worker({ kind: "download", impl: "acrkit-native", ...on.emulator, repository: "benchbig", digest: big.digest }),
  );
  add("download 1 GiB", E, "@azure/container-registry", () =>
    worker({ kind: "download", impl: "azure", ...on.emulator, repository: "benchbig", digest: big.digest }),
  );

  // 50 × 2 MiB image push: a fresh random layout and a fresh repository per run, so nothing is skipped or mounted.
  const pushLayout = join(WORK, "layout-push");
  const pushOf = (registry: "docker" | "emulator", impl: Task["impl"], concurrency: number) => async () => {
    makeImageLayout(pushLayout, LAYERS, LAYER_SIZE, "v1");
    return worker({
      kind: "push-image",
      impl,
      ...on[registry],
      repository: registry === "docker" ? `bench/${fresh("push")}` : fresh("push"),
      tag: "v1",
      layout: pushLayout,
      concurrency,
    });
  };
  const imageBytes = LAYERS * LAYER_SIZE;
  add("push 50 × 2 MiB", D, "skopeo", async () => {
    makeImageLayout(pushLayout, LAYERS, LAYER_SIZE, "v1");
    return external(
      await runCommand(skopeoPushScript(pushLayout, "v1", dockerHost, `bench/${fresh("push")}`)),
      imageBytes,
    );
  });
  add("push 50 × 2 MiB", D, "acrkit concurrency 1", pushOf("docker", "acrkit-native", 1));
  add("push 50 × 2 MiB", D, "acrkit concurrency 4", pushOf("docker", "acrkit-native", 4));
  add("push 50 × 2 MiB", E, "@azure/container-registry", pushOf("emulator", "azure", 1));
  add("push 50 × 2 MiB", E, "acrkit concurrency 1", pushOf("emulator", "acrkit-native", 1));
  add("push 50 × 2 MiB", E, "acrkit concurrency 4", pushOf("emulator", "acrkit-native", 4));

  // Pull of the seeded image into a fresh directory each time.
  const pullOut = join(WORK, "pull-out");
  const pullOf = (registry: "docker" | "emulator", impl: Task["impl"], concurrency: number) => () => {
    rmSync(pullOut, { recursive: true, force: true });
    return worker({
      kind: "pull-image",
      impl,
      ...on[registry],
      repository: registry === "docker" ? "bench/pullsrc" : "pullsrc",
      tag: "v1",
      out: pullOut,
      concurrency,
    });
  };
  add("pull 50 × 2 MiB", D, "skopeo", async () =>
    external(await runCommand(skopeoPullScript(dockerHost, "bench/pullsrc", "v1", pullOut)), imageBytes),
  );
  add("pull 50 × 2 MiB", D, "acrkit concurrency 1", pullOf("docker", "acrkit-native", 1));
  add("pull 50 × 2 MiB", D, "acrkit concurrency 4", pullOf("docker", "acrkit-native", 4));
  add("pull 50 × 2 MiB", E, "@azure/container-registry", pullOf("emulator", "azure", 1));
  add("pull 50 × 2 MiB", E, "acrkit concurrency 1", pullOf("emulator", "acrkit-native", 1));
  add("pull 50 × 2 MiB", E, "acrkit concurrency 4", pullOf("emulator", "acrkit-native", 4));

  // The same image over a link with a real round-trip time, where concurrency has latency to hide.
  const slowUrl = `http://${slowHost}`;
  const slowScenario = `push 50 × 2 MiB, ${RTT_MS} ms RTT`;
  const slowPull = `pull 50 × 2 MiB, ${RTT_MS} ms RTT`;
  add(slowScenario, D, "skopeo", async () => {
    makeImageLayout(pushLayout, LAYERS, LAYER_SIZE, "v1");
    return external(
      await runCommand(skopeoPushScript(pushLayout, "v1", slowHost, `bench/${fresh("push")}`)),
      imageBytes,
    );
  });
  for (const concurrency of [1, 4]) {
    add(slowScenario, D, `acrkit concurrency ${concurrency}`, async () => {
      makeImageLayout(pushLayout, LAYERS, LAYER_SIZE, "v1");
      return worker({
        kind: "push-image",
        impl: "acrkit-native",
        url: slowUrl,
        emulator: false,
        repository: `bench/${fresh("push")}`,
        tag: "v1",
        layout: pushLayout,
        concurrency,
      });
    });
  }
  add(slowPull, D, "skopeo", async () =>
    external(await runCommand(skopeoPullScript(slowHost, "bench/pullsrc", "v1", pullOut)), imageBytes),
  );
  for (const concurrency of [1, 4]) {
    add(slowPull, D, `acrkit concurrency ${concurrency}`, () => {
      rmSync(pullOut, { recursive: true, force: true });
      return worker({
        kind: "pull-image",
        impl: "acrkit-native",
        url: slowUrl,
        emulator: false,
        repository: "bench/pullsrc",
        tag: "v1",
        out: pullOut,
        concurrency,
      });
    });
  }

  // Listing and metadata: ACR's /acr/v1, so the emulator only.
  for (const impl of ["acrkit-native", "azure"] as const) {
    const name = impl === "azure" ? "@azure/container-registry" : "acrkit/node";
    add("list 5,000 tags (pages of 100)", E, name, () =>
      worker({ kind: "list-tags", impl, ...on.emulator, repository: "tagged", anyTag: "t00000", pageSize: 100 }),
    );
    add(`${CALLS} metadata calls, warm client`, E, name, () =>
      worker({ kind: "metadata", impl, ...on.emulator, repository: "tagged", tags: TAGS, calls: CALLS, cold: false }),
    );
    add(`${CALLS} metadata calls, cold client each`, E, name, () =>
      worker({ kind: "metadata", impl, ...on.emulator, repository: "tagged", tags: TAGS, calls: CALLS, cold: true }),
    );
  }

  // Choosing the chunk size: acrkit/node uploads with each size, against both registries.
  for (const chunkSize of CHUNK_SIZES) {
    const name = `chunk ${chunkSize / MIB} MiB`;
    add(`chunk size: upload ${sweepFile.size / MIB} MiB`, D, name, () =>
      worker({
        kind: "upload",
        impl: "acrkit-native",
        ...on.docker,
        repository: "bench/sweep",
        file: sweepFile.path,
        chunkSize,
      }),
    );
    add(`chunk size: upload ${sweepFile.size / MIB} MiB`, E, name, () =>
      worker({
        kind: "upload",
        impl: "acrkit-native",
        ...on.emulator,
        repository: "sweep",
        file: sweepFile.path,
        chunkSize,
      }),
    );
  }

  // Choosing the download strategy: the same fetch + node:crypto, one streamed GET against ranged GETs.
  const strategies = [
    { name: "one streamed GET", strategy: "single", parallel: 1 },
    { name: "ranged GETs of 16 MiB, one at a time", strategy: "ranged", parallel: 1 },
    { name: "ranged GETs of 16 MiB, 4 in flight", strategy: "ranged-parallel", parallel: 4 },
  ] as const;
  for (const { name, strategy, parallel } of strategies) {
    add("download strategy: 1 GiB", D, name, () =>
      worker({
        kind: "ranged-download",
        impl: "acrkit-native",
        ...on.docker,
        repository: "bench/big",
        digest: big.digest,
        strategy,
        rangeSize: 16 * MIB,
        parallel,
      }),
    );
  }
  return list;
}

/** A Chromium measurement, or why there is none: skipped, or the error it ended with. */
async function inChromium<T>(enabled: boolean, measure: () => Promise<T>): Promise<T | { error: string }> {
  if (!enabled) return { error: "skipped (--no-browser or --only)" };
  try {
    return await measure();
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

function external(result: { ms: number; rssPeakMiB: number }, bytes: number): Sample {
  return { ms: result.ms, bytes, rssPeakMiB: result.rssPeakMiB };
}

/** Groups in first-seen order (Map.groupBy needs Node 21). */
function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return [...groups.values()];
}

function log(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

await main();
