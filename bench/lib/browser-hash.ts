/**
 * hash-wasm SHA-256 throughput inside Debian's Chromium, driven by playwright: the browser build's digest speed.
 * @module
 */
import { build } from "esbuild";
import { chromium } from "playwright";
import { join } from "node:path";
import { ROOT } from "./servers";
import { mbPerSecond, median } from "./stats";

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Runs the measurement; returns the median MB/s and the samples. */
export async function browserHashThroughput(
  mib = 256,
  rounds = 5,
): Promise<{ mbps: number; samplesMs: number[]; userAgent: string }> {
  const bundle = await build({
    entryPoints: [join(ROOT, "bench/browser-hash-entry.ts")],
    bundle: true,
    write: false,
    format: "iife",
    globalName: "benchHash",
    platform: "browser",
    target: "es2022",
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage();
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    const samplesMs = await page.evaluate(
      ([size, count]) =>
        (
          globalThis as unknown as { benchHash: { hashRounds(m: number, r: number): Promise<number[]> } }
        ).benchHash.hashRounds(size, count),
      [mib, rounds] as const,
    );
    const userAgent = await page.evaluate(() => navigator.userAgent);
    return { mbps: mbPerSecond(mib * 1024 * 1024, median(samplesMs)), samplesMs, userAgent };
  } finally {
    await browser.close();
  }
}
