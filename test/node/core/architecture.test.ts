/**
 * The house rules of ARCHITECTURE.md that a scanner can check: arrows between the folders of src/core point one way,
 * and the core imports none of the rooms built on it (the platforms, the emulator, the command line).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  folderCycles,
  folderGraph,
  importSpecifiers,
  importsInto,
  readImports,
  type ImportEdge,
} from "../../support/import-graph";

const CORE = join(import.meta.dirname, "../../../src/core");
const edges = readImports(CORE);

describe("src/core's folders", () => {
  it("import each other without a cycle", () => {
    expect(edges.length).toBeGreaterThan(200);
    expect(folderCycles(folderGraph(edges))).toEqual([]);
  });

  it("never import src/platform, src/emulator or src/cli, nor the package by name", () => {
    const leaving = importsInto(edges, ["../platform", "../emulator", "../cli"]);
    const byName = edges
      .filter((edge) => edge.specifier === "acrkit" || edge.specifier.startsWith("acrkit/"))
      .map((edge) => `${edge.from} → ${edge.specifier}`);
    expect([...leaving, ...byName]).toEqual([]);
  });
});

describe("the import scanner", () => {
  const edge = (from: string, specifier: string): ImportEdge => ({ from, specifier });

  it("reads static, type-only, re-exporting, side-effect and dynamic imports, and skips comments", () => {
    const code = [
      'import { a } from "./a";',
      'import type { B } from "../b/b";',
      'export { c } from "./c";',
      'export * from "./d";',
      'import "./e";',
      'const f = await import("../f/f");',
      '// import { g } from "./g";',
      '/* import { h } from "./h"; */',
      "import {\n  i,\n  j,\n} from './ij';",
    ].join("\n");
    expect(importSpecifiers(code)).toEqual(["./a", "../b/b", "./c", "./d", "./e", "../f/f", "./ij"]);
  });

  it("finds a two-folder cycle, a longer one, and one through a root-level file", () => {
    const graph = folderGraph([
      edge("http/pipeline.ts", "../auth/authenticator"),
      edge("auth/token-requests.ts", "../http/requester"),
      edge("content/a.ts", "../registry/b"),
      edge("registry/b.ts", "../paging/c"),
      edge("paging/c.ts", "../content/d"),
      edge("copy/x.ts", "../client"),
      edge("client.ts", "./copy/y"),
      edge("grammar/z.ts", "./digest"),
    ]);
    expect(folderCycles(graph)).toEqual(["auth ↔ http", "client.ts ↔ copy", "content ↔ paging ↔ registry"]);
  });

  it("finds no cycle where arrows point one way", () => {
    const graph = folderGraph([
      edge("http/a.ts", "../errors/b"),
      edge("auth/c.ts", "../http/a"),
      edge("client.ts", "./auth/c"),
    ]);
    expect(folderCycles(graph)).toEqual([]);
  });

  it("names an import that leaves the core for a room built on it", () => {
    const found = importsInto(
      [
        edge("http/a.ts", "../../platform/node/index"),
        edge("b.ts", "../emulator/server"),
        edge("c.ts", "./cli-options"),
        edge("d.ts", "../cli/main"),
      ],
      ["../platform", "../emulator", "../cli"],
    );
    expect(found).toEqual(["http/a.ts → ../../platform/node/index", "b.ts → ../emulator/server", "d.ts → ../cli/main"]);
  });
});
