/**
 * A 1 GiB `File` upload from Debian's Chromium to the emulator (with CORS, on loopback), driven by playwright: the
 * throughput, and whether the page stayed responsive (no main-thread task longer than 50 ms, by PerformanceObserver
 * `longtask`). The page and acrkit's Web Worker hashing script are served from a loopback origin of their own, as a
 * bundler would ship them side by side.
 * @module
 */
import { randomFillSync } from "node:crypto";
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from "node:fs";
import { bundleForBrowser } from "./browser-bundle";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { chromium } from "playwright";
import { startEmulator } from "../../test/support/emulator";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../test/browser/support/chromium";
import type { UploadMeasurement } from "../browser-upload-entry";
import { ROOT } from "./spawn";
import { mbPerSecond, median } from "./stats";

const USER = { username: "bench", password: "bench-upload-password" };

/** The result: medians over the rounds, and every round's figures. */
export interface BrowserUploadResult {
  mib: number;
  mbps: number;
  /** The longest main-thread task of any round, in milliseconds (0: none over 50 ms). */
  longestTaskMs: number;
  longTasks: number;
  rounds: Array<{ ms: number; longTasksMs: number[] }>;
  workerHasherIsDefault: boolean;
  /** Plain fetch PUTs of 8 MiB bodies to the page's origin: MB/s and the longest task, by body kind. */
  fetchBodies: Record<string, { mbps: number; longestTaskMs: number }>;
  userAgent: string;
}

/** Bundles the page script and the worker script, and serves them with a page that loads the first. */
async function servePage(): Promise<{ origin: string; server: Server }> {
  const files: Record<string, { type: string; body: string }> = {
    "/": {
      type: "text/html",
      body: '<!doctype html><meta charset="utf-8"><title>acrkit upload</title><input type="file" id="file"><script type="module">import * as bench from "./upload.js"; globalThis.bench = bench;</script>',
    },
    "/upload.js": { type: "text/javascript", body: await bundleForBrowser("bench/browser-upload-entry.ts") },
    "/browser-hash-worker.js": {
      type: "text/javascript",
      body: await bundleForBrowser("src/platform/browser/browser-hash-worker.js"),
    },
  };
  const server = createServer((request, response) => {
    if (request.url === "/sink") {
      request.resume();
      request.on("end", () => response.writeHead(201).end());
      return;
    }
    const file = files[new URL(request.url ?? "/", "http://x").pathname];
    response.writeHead(file ? 200 : 404, { "content-type": file?.type ?? "text/plain" });
    response.end(file?.body ?? "not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/**
 * Writes a `mib` MiB file of random bytes (16 MiB of them, repeated with each copy's index in its first bytes): the
 * `File` a user picks is on disk, and Chromium reads it from there as the upload goes.
 */
function writeUploadFile(mib: number): string {
  const directory = join(ROOT, "bench/.work");
  mkdirSync(directory, { recursive: true });
  const path = join(directory, `browser-upload-${mib}.bin`);
  const part = randomFillSync(new Uint8Array(16 * 1024 * 1024));
  const file = openSync(path, "w");
  try {
    for (let index = 0; index * 16 < mib; index++) {
      new DataView(part.buffer).setUint32(0, index);
      writeSync(file, part, 0, Math.min(16, mib - index * 16) * 1024 * 1024);
    }
  } finally {
    closeSync(file);
  }
  return path;
}

/** Uploads a `mib` MiB File picked from disk `rounds` times, each to a fresh emulator (so that nothing is skipped). */
export async function browserFileUpload(mib = 1024, rounds = 3): Promise<BrowserUploadResult> {
  const page = await servePage();
  const path = writeUploadFile(mib);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
  try {
    const tab = await browser.newPage();
    await tab.goto(page.origin);
    await tab.waitForFunction(() => "bench" in globalThis);
    await tab.setInputFiles("#file", path);
    const results: UploadMeasurement[] = [];
    for (let round = 0; round < rounds; round++) {
      const emulator = await startEmulator({ cors: true, users: { [USER.username]: USER.password } });
      try {
        results.push(
          await tab.evaluate(
            ([url, username, password]) =>
              (globalThis as unknown as { bench: typeof import("../browser-upload-entry") }).bench.uploadFile(
                url,
                username,
                password,
                "bench/file",
              ),
            [emulator.url, USER.username, USER.password] as const,
          ),
        );
      } finally {
        await emulator.close();
      }
    }
    const bodyMib = Math.min(mib, 64);
    const bodies = await tab.evaluate(
      (size) => (globalThis as unknown as { bench: typeof import("../browser-upload-entry") }).bench.putBodies(size),
      bodyMib,
    );
    const fetchBodies = Object.fromEntries(
      Object.entries(bodies).map(([kind, { ms, longTasksMs }]) => [
        kind,
        { mbps: mbPerSecond(bodyMib * 1024 * 1024, ms), longestTaskMs: Math.max(0, ...longTasksMs) },
      ]),
    );
    const all = results.flatMap((result) => result.longTasksMs);
    return {
      mib,
      mbps: mbPerSecond(mib * 1024 * 1024, median(results.map((result) => result.ms))),
      longestTaskMs: all.length ? Math.max(...all) : 0,
      longTasks: all.length,
      rounds: results.map((result) => ({ ms: Math.round(result.ms), longTasksMs: result.longTasksMs.map(Math.round) })),
      workerHasherIsDefault: results.every((result) => result.workerHasherIsDefault),
      fetchBodies,
      userAgent: await tab.evaluate(() => navigator.userAgent),
    };
  } finally {
    await browser.close();
    page.server.close();
    rmSync(path, { force: true });
  }
}
