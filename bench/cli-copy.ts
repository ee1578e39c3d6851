/**
 * `acrkit cp` against `skopeo copy` between two docker-registry instances over the link model (40 ms round trip,
 * 50 MB/s per connection), skopeo inspecting what acrkit wrote; and the start of `acrkit --version` against a bare
 * `node` start. Run alone with `tsx bench/cli-copy.ts [--rounds N] [--small]`, or as `npm run bench -- --only cli`.
 * Needs dist/ (`npx tsup --silent`).
 * @module
 */
import { join } from "node:path";
import { rmSync } from "node:fs";
import { startDockerRegistry } from "../test/support/docker-registry";
import { quote, runCommand, skopeoPushScript } from "./lib/external";
import { makeImageLayout } from "./lib/fixtures";
import { startLink } from "./lib/link";
import { ROOT } from "./lib/spawn";

/** What the CLI bench measured. */
export interface CliBenchResult {
  image: { layers: number; layerBytes: number };
  link: { roundTripMs: number; bytesPerSecond: number };
  /** Wall times per round, milliseconds. */
  acrkitCopyMs: number[];
  skopeoCopyMs: number[];
  /** Median acrkit / median skopeo (target at most 0.67). */
  copyRatio: number;
  /** Whether skopeo read back every image acrkit wrote with the source's digest. */
  digestsMatch: boolean;
  /** Medians of `node dist/acrkit.cjs --version` and `node -e 0`, milliseconds, and their difference. */
  versionMs: number;
  bareNodeMs: number;
  versionOverheadMs: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Runs the CLI bench. */
export async function cliCopyBench(options: { rounds: number; small: boolean; work: string }): Promise<CliBenchResult> {
  const layers = options.small ? 8 : 20;
  const layerBytes = (options.small ? 1 : 4) * 1024 * 1024;
  const link = { roundTripMs: 40, bytesPerSecond: 50e6 };
  const source = await startDockerRegistry();
  const sourceLink = await startLink(new URL(source.url).host, link);
  const from = sourceLink.host;
  const acrkit = join(ROOT, "dist/acrkit.cjs");
  try {
    const layout = join(options.work, "cli-copy-layout");
    rmSync(layout, { recursive: true, force: true });
    makeImageLayout(layout, layers, layerBytes, "v1");
    await runCommand(skopeoPushScript(layout, "v1", new URL(source.url).host, "bench/cli"));
    const manifestDigest = async (host: string, repository: string) =>
      `sha256:${(await runCommand(`skopeo inspect --raw --tls-verify=false ${quote(`docker://${host}/${repository}:v1`)} | sha256sum`)).stdout.split(" ")[0]}`;
    const digest = await manifestDigest(new URL(source.url).host, "bench/cli");
    const acrkitCopyMs: number[] = [];
    const skopeoCopyMs: number[] = [];
    let digestsMatch = true;
    for (let round = 0; round < options.rounds; round++) {
      // A fresh destination registry each round: every blob crosses the link, for both tools; order alternates.
      // skopeo remembers where it saw each blob (its blob-info cache) and would mount it from an earlier round's
      // repository of the same registry instead of copying it: 0 bytes moved, which compares nothing.
      const destination = await startDockerRegistry();
      const destinationLink = await startLink(new URL(destination.url).host, link);
      const to = destinationLink.host;
      const runs = [
        async () =>
          acrkitCopyMs.push(
            (
              await runCommand(
                `node ${quote(acrkit)} cp -q ${quote(`${from}/bench/cli:v1`)} ${quote(`${to}/acrkit/r${round}:v1`)}`,
              )
            ).ms,
          ),
        async () =>
          skopeoCopyMs.push(
            (
              await runCommand(
                `skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false ${quote(`docker://${from}/bench/cli:v1`)} ${quote(`docker://${to}/skopeo/r${round}:v1`)}`,
              )
            ).ms,
          ),
      ];
      try {
        for (const run of round % 2 === 0 ? runs : runs.reverse()) await run();
        digestsMatch &&= (await manifestDigest(new URL(destination.url).host, `acrkit/r${round}`)) === digest;
      } finally {
        await destinationLink.close();
        await destination.stop();
      }
    }
    const versions: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < 10; i++) {
      versions.push((await runCommand(`node ${quote(acrkit)} --version`)).ms);
      bare.push((await runCommand("node -e 0")).ms);
    }
    return {
      image: { layers, layerBytes },
      link,
      acrkitCopyMs,
      skopeoCopyMs,
      copyRatio: median(acrkitCopyMs) / median(skopeoCopyMs),
      digestsMatch,
      versionMs: median(versions),
      bareNodeMs: median(bare),
      versionOverheadMs: median(versions) - median(bare),
    };
  } finally {
    await sourceLink.close();
    await source.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const rounds = args.includes("--rounds") ? Number(args[args.indexOf("--rounds") + 1]) : 3;
  const result = await cliCopyBench({ rounds, small: args.includes("--small"), work: join(ROOT, "bench/.work") });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
