/**
 * Global setup of `npm run test:faults`: clears old per-file reports before the run; afterwards adds them up, prints
 * the tables, writes them to `test-results/faults.md`, and fails the run (exit code 1) when an operation ended other
 * than its test expected, a byte arrived corrupted, or README's fault table is not the one this run printed.
 * `ACRKIT_FAULT_TABLE=write npm run test:faults` writes the table into README instead of comparing.
 * @module
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPORT_DIRECTORY, type FaultReportData } from "./report";

/** The fault test files: a run with all of them reporting is compared with README, a partial run is not. */
const FAULT_TESTS = join(process.cwd(), "test", "node", "faults");
const README = join(process.cwd(), "README.md");
/** README's table sits between these two lines. */
export const TABLE_START =
  "<!-- fault-table: written by npm run test:faults (test/support/faults/report-teardown.ts) -->";
export const TABLE_END = "<!-- /fault-table -->";

/** How each fault kind reads in the table. */
const LABELS: Record<string, string> = {
  "reset-request": "connection reset while sending",
  "reset-response": "connection reset while receiving",
  stall: "stall (before the answer or mid-body)",
  status: "429 / 500 / 503 answers, with and without `Retry-After`",
  truncate: "truncated body",
  "flip-byte": "flipped byte",
  "html-error": "HTML error page",
  "drop-header": "`Docker-Content-Digest` dropped",
  unauthorized: "401 (expired token) mid-transfer",
  custom: "a handler of the test's own",
};

/** Removes the reports of an earlier run. */
export function setup(): void {
  rmSync(REPORT_DIRECTORY, { recursive: true, force: true });
}

/** Prints and writes the tables, and fails the run on what must never happen. */
export function teardown(): void {
  const reports = readReports();
  const table = renderFaultTable(reports);
  const counters = renderRunCounters(reports);
  process.stdout.write(`\n${table}\n\nThis run's counters (they vary with timing):\n\n${counters}\n`);
  writeFileSync(join(REPORT_DIRECTORY, "..", "faults.md"), `${table}\n\n${counters}\n`);
  const failures = runProblems(reports);
  // A failed run's table is not README's to take.
  const problems = [...failures, ...(failures.length > 0 ? [] : readmeProblem(table, reports))];
  if (problems.length === 0) return;
  process.stderr.write(`\nThe fault run failed:\n${problems.map((problem) => `- ${problem}`).join("\n")}\n`);
  // vitest ignores an error thrown by a global teardown; the exit code is what CI sees.
  process.exitCode = 1;
}

function readReports(): FaultReportData[] {
  if (!existsSync(REPORT_DIRECTORY)) return [];
  return readdirSync(REPORT_DIRECTORY)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(REPORT_DIRECTORY, name), "utf8")) as FaultReportData);
}

function sum(reports: FaultReportData[], pick: (report: FaultReportData) => number): number {
  return reports.reduce((total, report) => total + pick(report), 0);
}

function byKind(
  reports: FaultReportData[],
  pick: (report: FaultReportData) => Record<string, number>,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const report of reports)
    for (const [kind, count] of Object.entries(pick(report))) counts[kind] = (counts[kind] ?? 0) + count;
  return counts;
}

/** The table README shows: only what a seed decides, so that every run of the suite prints the same one. */
export function renderFaultTable(reports: FaultReportData[]): string {
  const rules = byKind(reports, (report) => report.faultRules);
  const lines = ["| fault injected | fault rules that fired |", "|---|---:|"];
  const rows = Object.entries(rules).map(([kind, count]) => [LABELS[kind] ?? kind, count] as const);
  for (const [label, count] of rows.sort(([a], [b]) => a.localeCompare(b))) lines.push(`| ${label} | ${count} |`);
  lines.push(
    `| **total** | **${sum(reports, (report) => Object.values(report.faultRules).reduce((a, b) => a + b, 0))}** |`,
  );
  const failures = sum(reports, (report) => report.failures.length);
  lines.push("", "| operations | count |", "|---|---:|");
  lines.push(`| attempted (in ${reports.length} test files) | ${sum(reports, (report) => report.attempted)} |`);
  lines.push(`| succeeded | ${sum(reports, (report) => report.succeeded)} |`);
  lines.push(`| failed with the typed error the test expected | ${sum(reports, (report) => report.typedErrors)} |`);
  lines.push(`| anything else (another or an untyped error, an unexpected success, wrong bytes) | **${failures}** |`);
  lines.push(`| bytes corrupted | **${sum(reports, (report) => report.bytesCorrupted)}** |`);
  return lines.join("\n");
}

/** What varies from run to run: requests each fault hit, bytes forwarded and re-sent. */
function renderRunCounters(reports: FaultReportData[]): string {
  const faults = byKind(reports, (report) => report.faults);
  const lines = ["| counter | value |", "|---|---:|"];
  for (const kind of Object.keys(faults).sort())
    lines.push(`| requests hit by: ${LABELS[kind] ?? kind} | ${faults[kind]} |`);
  lines.push(
    `| bytes forwarded by the fault proxies | ${sum(reports, (report) => report.bytesForwarded).toLocaleString("en")} |`,
  );
  lines.push(
    `| bytes re-sent or re-fetched because of faults | ${sum(reports, (report) => report.bytesResent).toLocaleString("en")} |`,
  );
  return lines.join("\n");
}

/** Failures, corrupted bytes, and operations counted neither as succeeded nor as handled. */
export function runProblems(reports: FaultReportData[]): string[] {
  const problems: string[] = [];
  for (const report of reports) {
    for (const failure of report.failures) problems.push(`${report.file}: ${failure}`);
    if (report.bytesCorrupted > 0) problems.push(`${report.file}: ${report.bytesCorrupted} bytes corrupted`);
    const accounted = report.succeeded + report.typedErrors + report.failures.length;
    if (accounted < report.attempted)
      problems.push(`${report.file}: ${report.attempted - accounted} operations attempted and never settled`);
  }
  return problems;
}

/** The fault table between README's markers, or undefined when README has none. */
export function readmeTable(readme: string): string | undefined {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + TABLE_START.length, end).trim();
}

function readmeProblem(table: string, reports: FaultReportData[]): string[] {
  const files = readdirSync(FAULT_TESTS).filter((name) => name.endsWith(".test.ts")).length;
  if (reports.length < files) {
    process.stdout.write(
      `\n${reports.length} of ${files} fault test files reported: a partial run, README's table not compared.\n`,
    );
    return [];
  }
  const readme = readFileSync(README, "utf8");
  const current = readmeTable(readme);
  if (current === undefined) return [`README.md has no fault table between "${TABLE_START}" and "${TABLE_END}"`];
  if (current === table) return [];
  if (process.env.ACRKIT_FAULT_TABLE === "write") {
    const before = readme.slice(0, readme.indexOf(TABLE_START) + TABLE_START.length);
    writeFileSync(README, `${before}\n\n${table}\n\n${readme.slice(readme.indexOf(TABLE_END))}`);
    process.stdout.write("\nREADME's fault table rewritten from this run.\n");
    return [];
  }
  return [
    `README's fault table is not the one this run printed: run ACRKIT_FAULT_TABLE=write npm run test:faults and commit README.md`,
  ];
}
