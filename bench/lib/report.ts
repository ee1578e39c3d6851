/**
 * From raw samples to the report: medians, ratios to each comparison's reference contender, the targets,
 * and the terminal table.
 * @module
 */
import { mbPerSecond, median, spread } from "./stats";

/** One run of one contender. */
export interface Sample {
  ms: number;
  bytes: number;
  rssPeakMiB?: number;
  rssGrowthMiB?: number;
  requests?: number;
  peakInFlight?: number;
  extra?: Record<string, unknown>;
}

/** Samples by scenario, registry and contender joined with tabs, in insertion order. */
export type Samples = Map<string, Sample[]>;

/** One line of the results. */
export interface Row {
  scenario: string;
  registry: string;
  contender: string;
  runs: number;
  medianMs: number;
  /** MB/s (10^6 bytes) for transfers; absent for listing and metadata. */
  mbps?: number;
  /** The contender this row is compared with, and the speed ratio (reference time / this time; > 1 is faster). */
  reference?: string;
  ratio?: number;
  /** RSS above the process's baseline during the work: the median and the worst run (Node contenders). */
  rssGrowthMiB?: number;
  rssGrowthMaxMiB?: number;
  rssPeakMiB?: number;
  requests?: number;
  requestsPerCall?: number;
  msPerCall?: number;
  peakInFlight?: number;
  /** (max − min) / median of the times: how noisy this measurement was. */
  spread: number;
  samplesMs: number[];
}

/** A target of the issues the bench tracks, checked. */
export interface Target {
  target: string;
  measured: string;
  holds: boolean | null;
}

/** The whole report, as bench/results.json. */
export interface Report {
  meta: Record<string, unknown> & { durationSeconds: number };
  rows: Row[];
  targets: Target[];
  hashing: { node: Record<string, unknown>; chromium: unknown };
  /** The 1 GiB `File` upload in Chromium: throughput and the main thread's longest task. */
  browserUpload: unknown;
}

/** The contender each comparison is measured against. */
function referenceOf(scenario: string, registry: string, defaultChunk: string): string | undefined {
  if (scenario.startsWith("chunk size")) return defaultChunk;
  if (scenario.startsWith("download strategy")) return "one streamed GET";
  if (registry.startsWith("emulator")) return "@azure/container-registry";
  if (scenario.startsWith("upload")) return "curl (POST + PUT)";
  if (scenario.startsWith("download")) return "curl | openssl dgst";
  if (scenario.startsWith("push") || scenario.startsWith("pull")) return "skopeo";
  return undefined;
}

const MIB = 1024 * 1024;

/** Builds the report. */
export function buildReport(input: {
  samples: Samples;
  nodeHashing: Record<string, unknown>;
  browserHashing: unknown;
  browserUpload: unknown;
  meta: Report["meta"];
}): Report {
  const calls = Number(input.meta.metadataCalls);
  const defaultChunk = `chunk ${Number(input.meta.defaultChunkSize) / MIB} MiB`;
  const rows: Row[] = [];
  for (const [key, samples] of input.samples) {
    const [scenario, registry, contender] = key.split("\t") as [string, string, string];
    const times = samples.map((sample) => sample.ms);
    const medianMs = median(times);
    const bytes = samples[0]!.bytes;
    const isTransfer = bytes > 1e6 && !scenario.startsWith("list");
    const growth = samples.map((sample) => sample.rssGrowthMiB ?? Number.NaN);
    const row: Row = {
      scenario,
      registry,
      contender,
      runs: samples.length,
      medianMs,
      ...(isTransfer ? { mbps: mbPerSecond(bytes, medianMs) } : {}),
      ...(Number.isFinite(median(growth))
        ? { rssGrowthMiB: median(growth), rssGrowthMaxMiB: Math.max(...growth.filter(Number.isFinite)) }
        : {}),
      ...(Number.isFinite(median(samples.map((s) => s.rssPeakMiB ?? Number.NaN)))
        ? { rssPeakMiB: median(samples.map((s) => s.rssPeakMiB ?? Number.NaN)) }
        : {}),
      ...(samples[0]!.requests !== undefined ? { requests: median(samples.map((s) => s.requests ?? Number.NaN)) } : {}),
      ...(samples[0]!.peakInFlight ? { peakInFlight: Math.max(...samples.map((s) => s.peakInFlight ?? 0)) } : {}),
      spread: spread(times),
      samplesMs: times.map((ms) => Math.round(ms)),
    };
    if (scenario.includes("metadata")) {
      row.msPerCall = medianMs / calls;
      if (row.requests !== undefined) row.requestsPerCall = row.requests / calls;
    }
    rows.push(row);
  }
  for (const row of rows) {
    const reference = referenceOf(row.scenario, row.registry, defaultChunk);
    const base = rows.find(
      (other) => other.scenario === row.scenario && other.registry === row.registry && other.contender === reference,
    );
    if (reference && base && base !== row) {
      row.reference = reference;
      row.ratio = base.medianMs / row.medianMs;
    }
  }
  // A run limited with --only leaves the other groups' targets unmeasured: they are left out rather than listed as n/a.
  const targets = [
    ...checkLinkTargets(rows),
    ...checkTargets(rows, input.nodeHashing, input.browserHashing),
    ...checkBrowserUploadTargets(input.browserUpload),
  ].filter((target) => !(target.holds === null && /^(n\/a|skipped)/.test(target.measured)));
  return {
    meta: input.meta,
    rows,
    targets,
    hashing: { node: input.nodeHashing, chromium: input.browserHashing },
    browserUpload: input.browserUpload,
  };
}

function find(rows: Row[], scenario: string, registry: string, contender: string): Row | undefined {
  return rows.find(
    (row) => row.scenario.startsWith(scenario) && row.registry.startsWith(registry) && row.contender === contender,
  );
}

const x = (value: number | undefined) =>
  value === undefined || !Number.isFinite(value) ? "n/a" : `${value.toFixed(2)}×`;

function checkTargets(rows: Row[], nodeHashing: Record<string, unknown>, browserHashing: unknown): Target[] {
  const targets: Target[] = [];
  const ratioTarget = (label: string, row: Row | undefined, minimum: number) =>
    targets.push({
      target: `${label} ≥ ${minimum}×`,
      measured: x(row?.ratio),
      holds: row?.ratio === undefined ? null : row.ratio >= minimum,
    });
  ratioTarget("1 GiB upload vs curl (docker-registry)", find(rows, "upload 1 GiB", "docker", "acrkit/node"), 0.9);
  ratioTarget(
    "1 GiB verified download vs curl | openssl (docker-registry)",
    find(rows, "download 1 GiB", "docker", "acrkit/node"),
    0.9,
  );
  ratioTarget(
    "1 GiB upload vs @azure/container-registry (emulator)",
    find(rows, "upload 1 GiB", "emulator", "acrkit/node"),
    1.5,
  );
  ratioTarget(
    "1 GiB download vs @azure/container-registry (emulator)",
    find(rows, "download 1 GiB", "emulator", "acrkit/node"),
    1.5,
  );

  const transfers = rows.filter(
    (row) =>
      /^(upload|download) 1 GiB/.test(row.scenario) &&
      row.contender.startsWith("acrkit") &&
      row.rssGrowthMaxMiB !== undefined,
  );
  const worst = Math.max(...transfers.map((row) => row.rssGrowthMaxMiB!));
  const worstRow = transfers.find((row) => row.rssGrowthMaxMiB === worst);
  targets.push({
    target: "peak RSS during a 1 GiB transfer ≤ +64 MiB (worst acrkit run)",
    measured: worstRow
      ? `+${worst.toFixed(1)} MiB (${worstRow.scenario}, ${worstRow.registry}, ${worstRow.contender})`
      : "n/a",
    holds: worstRow ? worst <= 64 : null,
  });

  for (const four of rows.filter((row) => row.contender === "acrkit concurrency 4")) {
    const one = rows.find(
      (row) =>
        row.scenario === four.scenario && row.registry === four.registry && row.contender === "acrkit concurrency 1",
    );
    if (!one) continue;
    const speedup = one.medianMs / four.medianMs;
    const where = `${four.scenario} (${four.registry})`;
    targets.push({ target: `${where}: concurrency 4 ≥ 2× sequential`, measured: x(speedup), holds: speedup >= 2 });
    targets.push({
      target: `${where}: ≤ 4 transfers at once`,
      measured: `peak ${four.peakInFlight ?? "n/a"}`,
      holds: four.peakInFlight === undefined ? null : four.peakInFlight <= 4,
    });
  }
  const warm = rows.find((row) => row.scenario.includes("warm") && row.contender === "acrkit/node");
  targets.push({
    target: "metadata: 1 HTTP request per call, warm client",
    measured: `${warm?.requestsPerCall?.toFixed(3) ?? "n/a"} requests/call`,
    holds: warm?.requestsPerCall === undefined ? null : warm.requestsPerCall <= 1,
  });
  const cold = rows.find((row) => row.scenario.includes("cold") && row.contender === "acrkit/node");
  // A client that has never talked to the registry must learn realm and service from a 401 challenge first.
  targets.push({
    target: "metadata, cold client: ≤ challenge + exchange + token + call (4)",
    measured: `${cold?.requestsPerCall?.toFixed(2) ?? "n/a"} requests/call`,
    holds: cold?.requestsPerCall === undefined ? null : cold.requestsPerCall <= 4,
  });

  const results = (nodeHashing.results ?? []) as Array<{ contender: string; pieceBytes: number; mbps: number }>;
  const raw = (piece: number) =>
    results.find((r) => r.contender === "node:crypto (raw)" && r.pieceBytes === piece)?.mbps;
  for (const contender of ["acrkit native hasher", "acrkit/node default hasher"]) {
    const ratios = results
      .filter((r) => r.contender === contender)
      .map((r) => r.mbps / (raw(r.pieceBytes) ?? Number.NaN));
    const worstRatio = Math.min(...ratios);
    targets.push({
      target: `hashing: ${contender} ≥ 90 % of raw node:crypto (worst piece size)`,
      measured: ratios.length ? `${(worstRatio * 100).toFixed(0)} %` : "n/a",
      holds: ratios.length ? worstRatio >= 0.9 : null,
    });
  }
  const chromium = browserHashing as { mbps?: number; error?: string };
  targets.push({
    target: "hashing: hash-wasm in Chromium ≥ 400 MB/s",
    measured: chromium.mbps !== undefined ? `${chromium.mbps.toFixed(0)} MB/s` : (chromium.error ?? "n/a"),
    holds: chromium.mbps === undefined ? null : chromium.mbps >= 400,
  });
  return targets;
}

/** The targets over the link model: acrkit against the better of curl's uploads, the SDK, and curl | openssl. */
function checkLinkTargets(rows: Row[]): Target[] {
  const targets: Target[] = [];
  const linked = rows.filter((row) => row.scenario.endsWith("MB/s"));
  const acrkitRows = linked.filter((row) => row.contender === "acrkit/node");
  for (const row of acrkitRows) {
    const peers = linked.filter(
      (other) => other.scenario === row.scenario && other.registry === row.registry && other !== row,
    );
    const versus = (label: string, contenders: Row[], minimum: number) => {
      const best = Math.min(...contenders.map((other) => other.medianMs));
      const ratio = contenders.length ? best / row.medianMs : undefined;
      targets.push({
        target: `${row.scenario} (${row.registry}): acrkit vs ${label} ≥ ${minimum}×`,
        measured: x(ratio),
        holds: ratio === undefined ? null : ratio >= minimum,
      });
    };
    if (row.scenario.startsWith("upload") && row.registry.startsWith("docker"))
      versus(
        "the better of curl's single PUT and streamed PATCH",
        peers.filter((p) => p.contender.startsWith("curl")),
        0.95,
      );
    if (row.scenario.startsWith("upload") && row.registry.startsWith("emulator"))
      versus(
        "@azure/container-registry",
        peers.filter((p) => p.contender.startsWith("@azure")),
        2,
      );
    if (row.scenario.startsWith("download"))
      versus(
        "curl | openssl dgst",
        peers.filter((p) => p.contender === "curl | openssl dgst"),
        0.97,
      );
  }
  return targets;
}

/** The Chromium `File` upload: no main-thread task longer than 50 ms. */
function checkBrowserUploadTargets(browserUpload: unknown): Target[] {
  const result = browserUpload as { longestTaskMs?: number; mbps?: number; mib?: number; error?: string } | undefined;
  if (!result) return [];
  const measured =
    result.longestTaskMs !== undefined
      ? `longest task ${result.longestTaskMs.toFixed(0)} ms at ${result.mbps?.toFixed(0)} MB/s`
      : (result.error ?? "n/a");
  const size = result.mib !== undefined ? `${result.mib} MiB` : "1 GiB";
  return [
    {
      target: `Chromium, ${size} File upload: no main-thread task > 50 ms`,
      measured,
      holds: result.longestTaskMs === undefined ? null : result.longestTaskMs <= 50,
    },
  ];
}

function cell(value: number | undefined, digits = 0, suffix = ""): string {
  return value === undefined || !Number.isFinite(value) ? "" : `${value.toFixed(digits)}${suffix}`;
}

/** Prints the results and the targets as plain-text tables. */
export function printTable(report: Report): void {
  const header = [
    "scenario",
    "registry",
    "contender",
    "median",
    "MB/s",
    "ratio",
    "vs",
    "RSS +MiB",
    "requests",
    "in flight",
    "spread",
  ];
  const lines = report.rows.map((row) => [
    row.scenario,
    row.registry,
    row.contender,
    row.msPerCall !== undefined ? `${row.msPerCall.toFixed(2)} ms/call` : `${(row.medianMs / 1000).toFixed(2)} s`,
    cell(row.mbps),
    row.ratio !== undefined ? `${row.ratio.toFixed(2)}×` : "",
    row.reference ?? "",
    row.rssGrowthMaxMiB !== undefined
      ? `${cell(row.rssGrowthMiB, 1)} (max ${cell(row.rssGrowthMaxMiB, 1)})`
      : row.rssPeakMiB !== undefined
        ? `peak ${cell(row.rssPeakMiB, 0)}`
        : "",
    row.requestsPerCall !== undefined ? `${row.requestsPerCall.toFixed(2)}/call` : cell(row.requests),
    cell(row.peakInFlight),
    `${(row.spread * 100).toFixed(0)} %`,
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]!.length)));
  const format = (line: string[]) => line.map((value, i) => value.padEnd(widths[i]!)).join("  ");
  const out = [format(header), widths.map((width) => "-".repeat(width)).join("  "), ...lines.map(format), ""];
  const upload = report.browserUpload as
    | {
        mib?: number;
        mbps?: number;
        longTasks?: number;
        longestTaskMs?: number;
        fetchBodies?: Record<string, { mbps: number; longestTaskMs: number }>;
      }
    | undefined;
  if (upload?.mbps !== undefined) {
    const bodies = Object.entries(upload.fetchBodies ?? {}).map(
      ([kind, body]) => `${kind} ${body.mbps.toFixed(0)} MB/s (longest task ${body.longestTaskMs.toFixed(0)} ms)`,
    );
    out.push(
      `Chromium: ${upload.mib} MiB File upload ${upload.mbps.toFixed(0)} MB/s, ${upload.longTasks} long tasks, longest ${upload.longestTaskMs?.toFixed(0)} ms; plain fetch PUTs of 8 MiB bodies: ${bodies.join(", ")}`,
      "",
    );
  }
  out.push("Targets:");
  for (const target of report.targets)
    out.push(
      `  ${target.holds === null ? "?   " : target.holds ? "ok  " : "MISS"}  ${target.target}: ${target.measured}`,
    );
  process.stdout.write(`${out.join("\n")}\n`);
}
