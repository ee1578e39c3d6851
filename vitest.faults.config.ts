import { defineConfig } from "vitest/config";

/**
 * `npm run test:faults`: every fault test, the 256 MiB ones (*.long.test.ts) included, then the fault table
 * (printed, and written to test-results/faults.md).
 */
export default defineConfig({
  test: {
    include: ["test/node/faults/**/*.test.ts"],
    environment: "node",
    testTimeout: 300_000,
    hookTimeout: 120_000,
    globalSetup: ["test/support/faults/report-teardown.ts"],
    env: { ACRKIT_FAULT_REPORT: "1" },
  },
});
