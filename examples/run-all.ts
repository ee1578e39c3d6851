/**
 * `npm run examples`: runs every example in turn, each in its own process as a user would run it, and reports which
 * passed. The environment is passed through, so with CONTAINERREGISTRY_ENDPOINT set they run against that registry.
 * @module
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { EXAMPLES } from "./list";

const directory = fileURLToPath(new URL(".", import.meta.url));

/** Runs one example with tsx's loader, its output going straight to ours; resolves with its exit code. */
function run(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", file], { cwd: directory, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const results: Array<{ file: string; code: number; seconds: number }> = [];
for (const { file, title } of EXAMPLES) {
  console.log(`\n━━ ${title}: examples/${file}`);
  const started = performance.now();
  const code = await run(file);
  results.push({ file, code, seconds: (performance.now() - started) / 1000 });
}

console.log("\n━━ Summary");
for (const { file, code, seconds } of results) {
  console.log(
    `  ${code === 0 ? "ok  " : "FAIL"} ${file.padEnd(32)} ${seconds.toFixed(1)} s${code === 0 ? "" : `  (exit code ${code})`}`,
  );
}
const failed = results.filter((result) => result.code !== 0).length;
console.log(
  failed === 0 ? `All ${results.length} examples passed.` : `${failed} of ${results.length} examples failed.`,
);
process.exitCode = failed === 0 ? 0 : 1;
