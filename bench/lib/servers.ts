/**
 * The registries under test: docker-registry 2.8.2 (plain HTTP, no auth) and the acrkit emulator over HTTPS in a
 * process of its own; and the way workers are started.
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { get as httpsGet } from "node:https";
import { createInterface } from "node:readline";
import { ROOT, spawnCaptured } from "./spawn";
import type { Task, WorkerResult } from "./tasks";

export { ROOT };

const TSX = ["--import", "tsx"];

/** A running emulator server process. */
export interface EmulatorProcess {
  url: string;
  stop(): Promise<void>;
}

/** Starts bench/servers/emulator-https.ts and waits for its URL. */
export async function startEmulatorHttps(certPath: string, keyPath: string): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, [...TSX, "bench/servers/emulator-https.ts", certPath, keyPath], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the emulator did not start within 30 s")), 30_000);
    createInterface({ input: child.stdout! }).once("line", (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once("exit", (code) => reject(new Error(`the emulator exited with ${code}`)));
  });
  return {
    url,
    stop: () => {
      process.removeListener("exit", killOnExit);
      return stopChild(child);
    },
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** Environment of every worker: trust the bench CA (the Azure SDK and fetch both read NODE_EXTRA_CA_CERTS). */
export function workerEnv(caPath: string): Record<string, string> {
  return { NODE_EXTRA_CA_CERTS: caPath };
}

/** Where {@link bundleWorker} writes the worker. */
const WORKER_BUNDLE = join(ROOT, "bench/.work/worker.mjs");

/**
 * Bundles bench/worker.ts (acrkit's sources included, npm packages left to node_modules) so that each worker starts
 * in plain Node: a TypeScript loader would add a second of start-up to each of the ~150 worker runs. The hashing
 * worker's script goes next to it, as acrkit's build puts it next to dist/node.js.
 */
export async function bundleWorker(): Promise<void> {
  await build({
    entryPoints: [join(ROOT, "bench/worker.ts")],
    outfile: WORKER_BUNDLE,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  // acrkit/node's worker hasher looks for its script next to the module that starts it: here, the bundle.
  await build({
    entryPoints: [join(ROOT, "src/platform/node/node-hash-worker.js")],
    outfile: join(ROOT, "bench/.work/node-hash-worker.js"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
  });
}

/** Runs one task in a fresh Node process (the bundled bench/worker.ts) and returns its result; rejects after `timeoutMs`. */
export async function runWorker(
  task: Task,
  env: Record<string, string>,
  timeoutMs = 240_000,
  nodeFlags: string[] = [],
): Promise<WorkerResult> {
  const worker = existsSync(WORKER_BUNDLE) ? [WORKER_BUNDLE] : [...TSX, "bench/worker.ts"];
  const result = await spawnCaptured(
    process.execPath,
    ["--expose-gc", ...nodeFlags, ...worker, JSON.stringify(task)],
    env,
    timeoutMs,
  );
  const last = result.stdout.trim().split("\n").at(-1) ?? "";
  if (result.code === 0 && last.startsWith("{")) return JSON.parse(last) as WorkerResult;
  throw new Error(
    `worker ${task.kind}/${task.impl} failed (${result.code ?? result.signal}): ${result.stderr.slice(-3000)}`,
  );
}

/** A GET to the emulator's control paths from the orchestrator, which (unlike workers) does not trust the CA globally. */
export function controlGet(url: string, caPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = httpsGet(url, { ca: readFileSync(caPath) }, (response) => {
      let body = "";
      response.on("data", (data: Buffer) => (body += data.toString()));
      response.on("end", () =>
        response.statusCode === 200 ? resolve(body) : reject(new Error(`${url}: ${response.statusCode} ${body}`)),
      );
    });
    request.on("error", reject);
  });
}
