/**
 * Global setup of `npm run test:faults`: clears old per-file reports before the run, and afterwards adds them up
 * into one table, printed and written to `test-results/faults.md` for the README's Reliability section.
 * @module
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPORT_DIRECTORY, type FaultReportData } from "./report";

/** Removes the reports of an earlier run. */
export function setup(): void {
  rmSync(REPORT_DIRECTORY, { recursive: true, force: true });
}

/** Prints and writes the table. */
export function teardown(): void {
  const table = renderFaultTable(readReports());
  process.stdout.write(`\n${table}\n`);
  writeFileSync(join(REPORT_DIRECTORY, "..", "faults.md"), `${table}\n`);
}

function readReports(): FaultReportData[] {
  if (!existsSync(REPORT_DIRECTORY)) return [];
  return readdirSync(REPORT_DIRECTORY)
    .filter((name) => name.endsWith(".json"))
    .map((name) => JSON.parse(readFileSync(join(REPORT_DIRECTORY, name), "utf8")) as FaultReportData);
}

/** The Markdown table of a run. */
export function renderFaultTable(reports: FaultReportData[]): string {
  const faults: Record<string, number> = {};
  const total = { attempted: 0, succeeded: 0, bytesResent: 0, bytesCorrupted: 0, bytesForwarded: 0 };
  for (const report of reports) {
    for (const [kind, count] of Object.entries(report.faults)) faults[kind] = (faults[kind] ?? 0) + count;
    total.attempted += report.attempted;
    total.succeeded += report.succeeded;
    total.bytesResent += report.bytesResent;
    total.bytesCorrupted += report.bytesCorrupted;
    total.bytesForwarded += report.bytesForwarded;
  }
  const lines = ["| fault injected | count |", "|---|---:|"];
  for (const kind of Object.keys(faults).sort()) lines.push(`| ${kind} | ${faults[kind]} |`);
  lines.push(`| **all faults** | **${Object.values(faults).reduce((a, b) => a + b, 0)}** |`);
  lines.push("", "| measure | value |", "|---|---:|");
  lines.push(`| test files reporting | ${reports.length} |`);
  lines.push(`| operations attempted | ${total.attempted} |`);
  lines.push(`| operations succeeded (or failed with the expected typed error) | ${total.succeeded} |`);
  lines.push(`| bytes forwarded by the fault proxies | ${total.bytesForwarded} |`);
  lines.push(`| bytes re-sent or re-fetched because of faults | ${total.bytesResent} |`);
  lines.push(`| bytes corrupted | ${total.bytesCorrupted} |`);
  return lines.join("\n");
}
