import { defineConfig } from "vitest/config";

/**
 * `npm run test:package`: the package as published. Packs dist/ once (test/package/global-setup.ts), then lints the
 * tarball, type-checks consumers in every TypeScript resolution mode, builds a page with Vite and webpack against
 * the 16 KB budget, installs the tarball with and without the MSAL peers, runs the smoke and the examples on Node 22, 24
 * and 26 and checks the JSR package.
 */
export default defineConfig({
  test: {
    include: ["test/package/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/package/global-setup.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
