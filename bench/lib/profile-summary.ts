/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by file, so that a missed
 * target can be traced to where the time goes. Usage: `tsx bench/lib/profile-summary.ts <file.cpuprofile> [top]`.
 * @module
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [path, topArgument] = process.argv.slice(2);
const top = Number(topArgument ?? 25);
const profile = JSON.parse(readFileSync(path!, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfTime = new Map<number, number>();
profile.samples.forEach((id, index) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
const total = [...selfTime.values()].reduce((sum, value) => sum + value, 0);

const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
for (const [id, time] of selfTime) {
  const frame = byId.get(id)!.callFrame;
  const file =
    frame.url.replace(/^file:\/\/\/work\/(main|wt\/[^/]+)\//, "").replace(/.*node_modules\//, "node_modules/") ||
    "(native)";
  const name = `${frame.functionName || "(anonymous)"}  ${file}:${frame.lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + time);
  byFile.set(file, (byFile.get(file) ?? 0) + time);
}
const print = (title: string, map: Map<string, number>) => {
  process.stdout.write(`${title} (total ${(total / 1000).toFixed(0)} ms)\n`);
  for (const [name, time] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(
      `  ${((time / total) * 100).toFixed(1).padStart(5)} %  ${(time / 1000).toFixed(0).padStart(6)} ms  ${name}\n`,
    );
  }
};
print("self time by function", byFunction);
print("self time by file", byFile);
