/**
 * The numbers behind `npm run test:faults`: faults injected, operations attempted and how each really ended
 * (succeeded, failed with the typed error the test expected, or neither), bytes re-sent and bytes corrupted. Each
 * test file records into its own {@link FaultReport} and writes it as JSON under `test-results/faults/`; the global
 * teardown of the fault run (report-teardown.ts) adds them up, and fails the run on any failure or corrupted byte.
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
  /** Faults injected, by kind: how many requests each hit (varies with the retries a run's timing allowed). */
  faults: Record<string, number>;
  /** Fault rules that fired at least once, by kind (the same in every run of a seed). */
  faultRules: Record<string, number>;
  attempted: number;
  /** Operations that resolved. */
  succeeded: number;
  /** Operations that rejected with the typed error their test expected. */
  typedErrors: number;
  /** What went wrong with the others: an unexpected error or success, an untyped error, wrong bytes. */
  failures: string[];
  /** Bytes the client sent or fetched again because of a fault (beyond one copy of each byte). */
  bytesResent: number;
  /** Bytes that reached a caller (or a registry) different from what was sent: must stay 0. */
  bytesCorrupted: number;
  /** Bytes forwarded by the proxies, both ways. */
  bytesForwarded: number;
}

/** An error class the fault tests expect, e.g. `RegistryError`. */
// oxlint-disable-next-line typescript/no-explicit-any -- error classes take any constructor arguments
export type ErrorClass = abstract new (...args: any[]) => unknown;

/** How an error shows in a failure line: its class and the start of its message. */
function describe(error: unknown): string {
  if (error instanceof Error) return `${error.constructor.name}: ${error.message.slice(0, 160)}`;
  return `a non-Error ${typeof error}`;
}

/** Accumulates one test file's numbers. */
export class FaultReport {
  readonly data: FaultReportData;

  constructor(file: string) {
    this.data = {
      file,
      faults: {},
      faultRules: {},
      attempted: 0,
      succeeded: 0,
      typedErrors: 0,
      failures: [],
      bytesResent: 0,
      bytesCorrupted: 0,
      bytesForwarded: 0,
    };
  }

  /** Runs an operation that must succeed: counts it as succeeded when it resolves, as a failure (rethrown) when not. */
  async operation<T>(run: () => Promise<T>): Promise<T> {
    this.data.attempted++;
    try {
      const result = await run();
      this.data.succeeded++;
      return result;
    } catch (error) {
      this.data.failures.push(`expected success, got ${describe(error)}`);
      throw error;
    }
  }

  /** Counts an operation the test ran and checked itself, which resolved as it had to. */
  resolved(): void {
    this.data.attempted++;
    this.data.succeeded++;
  }

  /**
   * Counts an operation that had to fail with `expected` (the fault was handled). Any other outcome, success
   * included, is counted as a failure and throws, so the test fails too.
   */
  handled(outcome: unknown, expected: ErrorClass): void {
    this.data.attempted++;
    if (outcome instanceof expected) {
      this.data.typedErrors++;
      return;
    }
    const failure = `expected ${expected.name}, got ${outcome === undefined ? "success" : describe(outcome)}`;
    this.data.failures.push(failure);
    throw new Error(failure, { cause: outcome });
  }

  /** Counts an operation whose outcome the test caught itself: `error` undefined when it resolved. */
  settled(error: unknown, expected: ErrorClass | "success"): void {
    if (expected !== "success") return this.handled(error, expected);
    if (error === undefined) return this.resolved();
    this.data.attempted++;
    const failure = `expected success, got ${describe(error)}`;
    this.data.failures.push(failure);
    throw new Error(failure, { cause: error });
  }

  /** Runs an operation that must reject with `expected`, counts it ({@link handled}) and returns the error. */
  async rejects(run: () => Promise<unknown>, expected: ErrorClass): Promise<unknown> {
    const error = await run().then(
      () => undefined,
      (caught: unknown) => caught ?? new Error("rejected with nothing"),
    );
    this.handled(error, expected);
    return error;
  }

  resent(bytes: number): void {
    this.data.bytesResent += Math.max(0, bytes);
  }

  /** Compares what arrived with what was sent and counts the differing bytes; any is a failure of the run. */
  compare(expected: Uint8Array, actual: Uint8Array): number {
    let differing = Math.abs(expected.byteLength - actual.byteLength);
    const common = Math.min(expected.byteLength, actual.byteLength);
    for (let index = 0; index < common; index++) if (expected[index] !== actual[index]) differing++;
    this.data.bytesCorrupted += differing;
    if (differing > 0)
      this.data.failures.push(`${differing} of ${expected.byteLength} bytes differ from what was sent`);
    return differing;
  }

  /** Counts a fault the test injected itself (not through a proxy), e.g. one hostile server answer. */
  injected(kind: string): void {
    this.data.faults[kind] = (this.data.faults[kind] ?? 0) + 1;
    this.data.faultRules[kind] = (this.data.faultRules[kind] ?? 0) + 1;
  }

  /** Adds a proxy's fault counters and forwarded bytes. */
  addProxy(proxy: FaultProxy): void {
    for (const [kind, count] of Object.entries(proxy.stats.faults))
      this.data.faults[kind] = (this.data.faults[kind] ?? 0) + (count ?? 0);
    for (const [kind, count] of Object.entries(proxy.stats.rulesFired))
      this.data.faultRules[kind] = (this.data.faultRules[kind] ?? 0) + (count ?? 0);
    this.data.bytesForwarded += proxy.stats.bytesUp + proxy.stats.bytesDown;
  }

  /** Writes the numbers for the teardown to collect; only in the fault run, so the normal suite leaves no report. */
  write(): void {
    if (process.env.ACRKIT_FAULT_REPORT !== "1") return;
    mkdirSync(REPORT_DIRECTORY, { recursive: true });
    writeFileSync(
      join(REPORT_DIRECTORY, `${this.data.file.replace(/[^A-Za-z0-9._-]/g, "_")}.json`),
      JSON.stringify(this.data, null, 2),
    );
  }
}
