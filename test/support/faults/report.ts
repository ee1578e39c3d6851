/**
 * The numbers behind `npm run test:faults`: faults injected, operations attempted and succeeded, bytes re-sent and
 * bytes corrupted. Each test file records into its own {@link FaultReport} and writes it as JSON under
 * `test-results/faults/`; the global teardown of the fault run (report-teardown.ts) adds them up into a table.
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FaultProxy } from "../fault-proxy";

/** Where the per-file reports go. */
export const REPORT_DIRECTORY = join(process.cwd(), "test-results", "faults");

/** One file's numbers. */
export interface FaultReportData {
  file: string;
  faults: Record<string, number>;
  attempted: number;
  succeeded: number;
  /** Bytes the client sent or fetched again because of a fault (beyond one copy of each byte). */
  bytesResent: number;
  /** Bytes that reached a caller (or a registry) different from what was sent: must stay 0. */
  bytesCorrupted: number;
  /** Bytes forwarded by the proxies, both ways. */
  bytesForwarded: number;
}

/** Accumulates one test file's numbers. */
export class FaultReport {
  readonly data: FaultReportData;

  constructor(file: string) {
    this.data = { file, faults: {}, attempted: 0, succeeded: 0, bytesResent: 0, bytesCorrupted: 0, bytesForwarded: 0 };
  }

  /** Runs one operation, counting it as attempted and, when it resolves, as succeeded. */
  async operation<T>(run: () => Promise<T>): Promise<T> {
    this.data.attempted++;
    const result = await run();
    this.data.succeeded++;
    return result;
  }

  /** Counts an operation that was expected to fail and did so with the right error (the fault was handled). */
  handled(): void {
    this.data.attempted++;
    this.data.succeeded++;
  }

  resent(bytes: number): void {
    this.data.bytesResent += Math.max(0, bytes);
  }

  /** Compares what arrived with what was sent and counts the differing bytes. */
  compare(expected: Uint8Array, actual: Uint8Array): number {
    let differing = Math.abs(expected.byteLength - actual.byteLength);
    const common = Math.min(expected.byteLength, actual.byteLength);
    for (let index = 0; index < common; index++) if (expected[index] !== actual[index]) differing++;
    this.data.bytesCorrupted += differing;
    return differing;
  }

  /** Adds a proxy's fault counters and forwarded bytes. */
  addProxy(proxy: FaultProxy): void {
    for (const [kind, count] of Object.entries(proxy.stats.faults)) this.data.faults[kind] = (this.data.faults[kind] ?? 0) + (count ?? 0);
    this.data.bytesForwarded += proxy.stats.bytesUp + proxy.stats.bytesDown;
  }

  /** Writes the numbers for the teardown to collect; only in the fault run, so the normal suite leaves no report. */
  write(): void {
    if (process.env.ACRKIT_FAULT_REPORT !== "1") return;
    mkdirSync(REPORT_DIRECTORY, { recursive: true });
    writeFileSync(join(REPORT_DIRECTORY, `${this.data.file.replace(/[^A-Za-z0-9._-]/g, "_")}.json`), JSON.stringify(this.data, null, 2));
  }
}
