/**
 * Profiles the small-request path: N metadata calls on a warm client, or N cold clients, acrkit/node against
 * @azure/container-registry on the emulator over HTTPS, alternating rounds, medians per call (bench/README, "The
 * metadata path"). Usage: `tsx bench/metadata-profile.ts [--calls N] [--rounds N] [--prof DIR]`; with `--prof`, each
 * child runs under `node --cpu-prof` (summarise with bench/lib/profile-summary.ts). acrkit runs from dist/, built
 * first, as users run it (ACRKIT_SRC=1: from the sources through tsx). `IMPLS=` picks contenders: acrkit, azure,
 * acrkit-fetch (Node's fetch passed as the `fetch` option), and the controls fetch, node-fetch and https (one
 * unauthenticated GET each). Each child reports requests per call and the new connections the server saw.
 * @module
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { makeCertificate } from "./lib/cert";
import { controlGet, ROOT, startEmulatorHttps, workerEnv } from "./lib/servers";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : fallback);

if (args[0] === "--child") {
  const [, impl, url, mode, calls] = args;
  // Each child loads only the client it runs: the other's modules would only enlarge the heap its collections walk.
  const { ContainerRegistryClient: Azure } =
    impl === "azure" ? await import("@azure/container-registry") : { ContainerRegistryClient: undefined };
  // The built package (dist/, as users run it) unless ACRKIT_SRC=1 asks for the sources through tsx.
  const { ContainerRegistryClient } = (
    impl === "azure"
      ? { ContainerRegistryClient: undefined }
      : await import(process.env.ACRKIT_SRC ? "../src/platform/node/index" : "../dist/node.js")
  ) as typeof import("../src/platform/node/index");
  const nodeFetch =
    impl === "node-fetch" ? (await import("../src/platform/node/http-transport/node-fetch")).nodeFetch : undefined;
  const credential = { getToken: async () => ({ token: "x", expiresOnTimestamp: Date.now() + 3600e3 }) };
  const tag = (i: number) => `t${String(i % 100).padStart(5, "0")}`;
  const { Agent, request } = await import("node:https");
  const agent = new Agent({ keepAlive: true });
  const control = `${url}/__bench/requests`;
  const raw: Record<string, (i: number) => Promise<unknown>> = {
    fetch: async () => (await fetch(control)).json(),
    "node-fetch": async () => (await nodeFetch!(new URL(control), { redirect: "manual" })).json(),
    "fetch-request": async () =>
      (await fetch(new Request(control, { headers: new Headers({ accept: "application/json" }) }))).json(),
    https: () =>
      new Promise((resolve, reject) =>
        request(control, { agent }, (response) => {
          let text = "";
          response.on("data", (data: Buffer) => (text += data.toString()));
          response.on("end", () => resolve(JSON.parse(text)));
        })
          .on("error", reject)
          .end(),
      ),
  };
  if (impl === "acrkit-fetch") {
    // The opt-out: Node's fetch passed as the client's `fetch` (a Request is then built for every attempt).
    const make = () => new ContainerRegistryClient(url!, credential, { fetch: (input, init) => fetch(input, init) });
    const warm = make();
    raw[impl] = (i: number) => (mode === "cold" ? make() : warm).getTagProperties("tagged", tag(i));
  }
  const call =
    raw[impl!] ??
    (impl === "azure"
      ? (() => {
          const make = () => new Azure!(url!, credential);
          const warm = make();
          return (i: number) =>
            (mode === "cold" ? make() : warm).getArtifact("tagged", tag(i)).getTagProperties(tag(i));
        })()
      : (() => {
          const make = () => new ContainerRegistryClient(url!, credential);
          const warm = make();
          return (i: number) => (mode === "cold" ? make() : warm).getTagProperties("tagged", tag(i));
        })());
  const counts = async () => (await (await fetch(control)).json()) as { count: number; connections: number };
  await call(0);
  const before = await counts();
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < Number(calls); i++) await call(i);
  const used = process.cpuUsage(cpu);
  process.stdout.write(
    `${(performance.now() - started) / Number(calls)} ${(used.user + used.system) / 1000 / Number(calls)}\n`,
  );
  const after = await counts();
  // The control GETs of `counts` are one request and at most one connection each.
  process.stderr.write(
    `${impl} ${mode}: ${(after.count - before.count) / Number(calls)} requests per call, ` +
      `${after.connections - before.connections} new connections in ${calls} calls\n`,
  );
} else {
  const calls = option("--calls", "500");
  const rounds = Number(option("--rounds", "3"));
  const prof = args.includes("--prof") ? option("--prof", "bench/.work/prof") : undefined;
  if (!process.env.ACRKIT_SRC) spawnSync("npx", ["tsup", "--silent"], { cwd: ROOT, stdio: "inherit" });
  const work = join(ROOT, "bench/.work");
  const cert = makeCertificate(join(work, "tls"));
  const emulator = await startEmulatorHttps(cert.certPath, cert.keyPath);
  await controlGet(`${emulator.url}/__bench/seed-tags?repository=tagged&count=100`, cert.caPath);
  const results = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    for (const mode of ["warm", "cold"]) {
      for (const impl of (process.env.IMPLS ?? "acrkit,azure").split(",")) {
        const profArgs = prof ? ["--cpu-prof", "--cpu-prof-dir", join(prof, `${impl}-${mode}`)] : [];
        if (prof) mkdirSync(join(prof, `${impl}-${mode}`), { recursive: true });
        const child = spawnSync(
          process.execPath,
          [...profArgs, "--import", "tsx", "bench/metadata-profile.ts", "--child", impl, emulator.url, mode, calls],
          {
            cwd: ROOT,
            env: { ...process.env, ...workerEnv(cert.caPath) },
            encoding: "utf8",
          },
        );
        if (child.status !== 0) throw new Error(child.stderr);
        process.stderr.write(child.stderr);
        const key = `${mode} ${impl}`;
        const [wall, cpu] = child.stdout.trim().split(" ").map(Number);
        results.set(key, [...(results.get(key) ?? []), wall!]);
        results.set(`${key} cpu`, [...(results.get(`${key} cpu`) ?? []), cpu!]);
      }
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  for (const [key, values] of results) {
    process.stdout.write(
      `${key.padEnd(16)} median ${median(values).toFixed(3)} ms/call  (${values.map((v) => v.toFixed(2)).join(", ")})\n`,
    );
  }
  await emulator.stop();
}
