/**
 * The fault run's own checks (test/support/faults/report.ts and report-teardown.ts): an operation that ends other
 * than its test expected, or one corrupted byte, is a problem that fails the run; README holds a table between the
 * markers the run compares.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NetworkError, RegistryError } from "../../../src/index";
import { FaultReport } from "../../support/faults/report";
import { readmeTable, renderFaultTable, runProblems } from "../../support/faults/report-teardown";

describe("the fault report", () => {
  it("counts success, the expected typed error, and anything else as what it is", async () => {
    const report = new FaultReport("probe");
    await report.operation(async () => 1);
    await report.rejects(() => Promise.reject(new NetworkError("timeout", "GET", "http://127.0.0.1/x")), NetworkError);
    await expect(report.rejects(() => Promise.reject(new TypeError("fetch failed")), RegistryError)).rejects.toThrow(
      /expected RegistryError, got TypeError: fetch failed/,
    );
    await expect(report.rejects(async () => "resolved", RegistryError)).rejects.toThrow(
      /expected RegistryError, got success/,
    );
    expect(report.data).toMatchObject({ attempted: 4, succeeded: 1, typedErrors: 1 });
    expect(report.data.failures).toHaveLength(2);
    expect(runProblems([report.data])).toHaveLength(2);
  });

  it("fails the run on one corrupted byte, even when the test did not look at the count", () => {
    const report = new FaultReport("probe");
    report.compare(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]));
    expect(runProblems([report.data])).toEqual([]);
    report.compare(new Uint8Array([1, 2, 3]), new Uint8Array([1, 9, 3]));
    expect(runProblems([report.data])).toEqual([
      "probe: 1 of 3 bytes differ from what was sent",
      "probe: 1 bytes corrupted",
    ]);
  });

  it("fails the run on an operation attempted and never counted as settled", () => {
    const report = new FaultReport("probe");
    report.data.attempted = 2;
    report.resolved();
    expect(runProblems([report.data])).toEqual(["probe: 2 operations attempted and never settled"]);
  });

  it("README holds the fault table between the run's markers, in the form the run renders", () => {
    const table = readmeTable(readFileSync(join(import.meta.dirname, "../../../README.md"), "utf8"));
    expect(table).toBeDefined();
    const rendered = renderFaultTable([]);
    // Same headings and rows, whatever the counts.
    const shape = (text: string) => text.split("\n").map((line) => line.replace(/\d[\d,]*/g, "N"));
    expect(
      shape(table!).filter(
        (line) => line.startsWith("| operations") || line.startsWith("| attempted") || line.startsWith("| bytes"),
      ),
    ).toEqual(
      shape(rendered).filter(
        (line) => line.startsWith("| operations") || line.startsWith("| attempted") || line.startsWith("| bytes"),
      ),
    );
  });
});
