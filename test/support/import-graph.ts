/**
 * A small scanner of import statements: which folder of a source tree imports which, and the cycles between folders.
 *
 * It reads static imports and re-exports (type-only ones too: they are dependencies a reader follows) and dynamic
 * `import("…")` calls with a literal specifier. A file directly in the root is a node of its own (`client.ts`), a file
 * below it belongs to its first folder (`http/transport.ts` → `http`).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, posix, relative, sep } from "node:path";

/** One import: the importing file and the specifier as written, both relative to the root (posix separators). */
export interface ImportEdge {
  from: string;
  specifier: string;
}

const IMPORT =
  /(?:^|[;\s])(?:import|export)\s[^"';]*?\bfrom\s*["']([^"']+)["']|(?:^|[;\s])import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** The specifiers a source file imports, comments left out. */
export function importSpecifiers(code: string): string[] {
  const bare = code.replace(/\/\*[\s\S]*?\*\/|(^|[^:"'])\/\/.*$/gm, "$1");
  return [...bare.matchAll(IMPORT)].map((match) => match[1] ?? match[2] ?? match[3]!);
}

/** Every `.ts` file under a directory, relative to it. */
export function sourceFiles(root: string, directory = root): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return sourceFiles(root, path);
    return path.endsWith(".ts") ? [relative(root, path).split(sep).join("/")] : [];
  });
}

/** The imports of every file under a root. */
export function readImports(root: string): ImportEdge[] {
  return sourceFiles(root).flatMap((from) =>
    importSpecifiers(readFileSync(join(root, from), "utf8")).map((specifier) => ({ from, specifier })),
  );
}

/** The folder (or root-level file) a root-relative path belongs to. */
export function nodeOf(path: string): string {
  const slash = path.indexOf("/");
  return slash === -1 ? (path.endsWith(".ts") ? path : `${path}.ts`) : path.slice(0, slash);
}

/** Where a relative specifier lands, relative to the root; undefined for a package, or a path outside the root. */
export function resolveSpecifier(edge: ImportEdge): string | undefined {
  if (!edge.specifier.startsWith(".")) return undefined;
  const target = posix.normalize(posix.join(posix.dirname(edge.from), edge.specifier));
  return target.startsWith("../") || target === ".." ? undefined : target;
}

/** Folder → the folders it imports (itself left out). */
export function folderGraph(edges: readonly ImportEdge[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const edge of edges) {
    const from = nodeOf(edge.from);
    if (!graph.has(from)) graph.set(from, new Set());
    const target = resolveSpecifier(edge);
    if (target === undefined || nodeOf(target) === from) continue;
    graph.get(from)!.add(nodeOf(target));
  }
  return graph;
}

/** The strongly connected groups of more than one folder (Tarjan), each sorted, as "a ↔ b ↔ c". */
export function folderCycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    if (group.length > 1) cycles.push(group.sort().join(" ↔ "));
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles.sort();
}

/** The imports that land in one of the given root-relative folders (`../platform`), as "file → specifier". */
export function importsInto(edges: readonly ImportEdge[], folders: readonly string[]): string[] {
  return edges
    .filter((edge) => edge.specifier.startsWith("."))
    .filter((edge) => {
      const target = posix.normalize(posix.join(posix.dirname(edge.from), edge.specifier));
      return folders.some((folder) => target === folder || target.startsWith(`${folder}/`));
    })
    .map((edge) => `${edge.from} → ${edge.specifier}`);
}
