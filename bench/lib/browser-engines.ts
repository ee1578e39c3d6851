/**
 * Uploads and verified downloads from a page in each engine CI runs (Chromium, Firefox ESR, WebKitGTK), against the
 * emulator with CORS on loopback; optionally a 1 GiB verified download saved through `saveBlob` in each.
 * @module
 */
import { randomFillSync } from "node:crypto";
import { bundleForBrowser } from "./browser-bundle";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startEmulator } from "../../test/support/emulator";
import { ENGINES, openEnginePage, type Engine } from "../../test/browser/support/engines/engine-page";
import type { EngineMeasurement } from "../browser-engines-entry";
import { mbPerSecond } from "./stats";

const USER = { username: "bench", password: "bench-engines-password" };
const MIB = 1024 * 1024;

/** One engine's figures. */
export interface EngineResult {
  engine: Engine;
  version: string;
  upload: { mbps: number; longestTaskMs: number | null; longestGapMs: number };
  download: { mbps: number; longestTaskMs: number | null; longestGapMs: number };
  save?: { mbps: number; path: string; size: number };
}

/** Serves the bundled page script (`entry`, as bench.js) and acrkit's worker script from a loopback origin of their own. */
export async function servePage(entry = "bench/browser-engines-entry.ts"): Promise<{ origin: string; server: Server }> {
  const files: Record<string, { type: string; body: string }> = {
    "/": {
      type: "text/html",
      body: '<!doctype html><meta charset="utf-8"><title>acrkit engines</title><script type="module">import * as bench from "./bench.js"; globalThis.bench = bench;</script>',
    },
    "/bench.js": { type: "text/javascript", body: await bundleForBrowser(entry) },
    "/browser-hash-worker.js": {
      type: "text/javascript",
      body: await bundleForBrowser("src/platform/browser/browser-hash-worker.js"),
    },
  };
  const server = createServer((request, response) => {
    const file = files[new URL(request.url ?? "/", "http://x").pathname];
    response.writeHead(file ? 200 : 404, { "content-type": file?.type ?? "text/plain" });
    response.end(file?.body ?? "not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // localhost: a secure context, as a deployed page on https is (the origin-private file system needs one).
  return { origin: `http://localhost:${(server.address() as AddressInfo).port}/`, server };
}

const summary = (bytes: number, measured: EngineMeasurement) => ({
  mbps: Math.round(mbPerSecond(bytes, measured.ms)),
  longestTaskMs: measured.longestTaskMs,
  longestGapMs: Math.round(measured.longestGapMs),
});

/** Runs the transfers of `mib` MiB in each engine; with `saveMib`, also a verified download of that size through saveBlob. */
export async function browserEngines(mib: number, saveMib?: number): Promise<EngineResult[]> {
  const page = await servePage();
  const emulator = await startEmulator({ cors: true, users: { [USER.username]: USER.password } });
  const args = JSON.stringify([emulator.url, USER.username, USER.password]).slice(1, -1);
  let saveDigest: string | undefined;
  if (saveMib) {
    const large = new Uint8Array(saveMib * MIB);
    for (let offset = 0; offset < large.byteLength; offset += 64 * MIB)
      randomFillSync(large.subarray(offset, offset + 64 * MIB));
    saveDigest = await emulator.emulator.seedBlob("bench/engines", large);
  }
  const results: EngineResult[] = [];
  try {
    for (const engine of ENGINES) {
      const tab = await openEnginePage(engine);
      try {
        await tab.goto(page.origin);
        const up = await tab.run<EngineMeasurement>(`return bench.upload(${args}, ${mib})`);
        const down = await tab.run<EngineMeasurement>(`return bench.download(${args}, ${JSON.stringify(up.digest)})`);
        const result: EngineResult = {
          engine,
          version: tab.version,
          upload: summary(mib * MIB, up),
          download: summary(mib * MIB, down),
        };
        if (saveDigest) {
          const saved = await tab.run<{ ms: number; path: string; size: number }>(
            `return bench.saveLarge(${args}, ${JSON.stringify(saveDigest)})`,
          );
          result.save = { mbps: Math.round(mbPerSecond(saved.size, saved.ms)), path: saved.path, size: saved.size };
        }
        results.push(result);
      } finally {
        await tab.close();
      }
    }
  } finally {
    await emulator.close();
    page.server.close();
  }
  return results;
}
