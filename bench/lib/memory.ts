/**
 * Peak resident memory of the current process, from Linux's /proc: the kernel records the high-water mark
 * (VmHWM) exactly, where sampling process.memoryUsage() could miss a short peak between two samples.
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";

const MIB = 1024 * 1024;

function statusField(name: "VmRSS" | "VmHWM"): number {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(readFileSync("/proc/self/status", "utf8"));
  return match ? (Number(match[1]) * 1024) / MIB : Number.NaN;
}

/** Collects garbage (when --expose-gc), resets the high-water mark and returns the RSS in MiB: the baseline. */
export function baselineRss(): number {
  (globalThis as { gc?: () => void }).gc?.();
  try {
    // "5" resets VmHWM to the current RSS (Linux 4.0+), so start-up allocations do not count as the peak.
    writeFileSync("/proc/self/clear_refs", "5");
  } catch {
    // Without permission the peak may include start-up; it is still an upper bound.
  }
  return statusField("VmRSS");
}

/** The highest RSS since {@link baselineRss}, in MiB. */
export function peakRss(): number {
  return statusField("VmHWM");
}
