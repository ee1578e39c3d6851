/**
 * `tsx test/package/on-node.ts <major> <script> [args…]`: runs a script under one of the Node versions users run
 * (support/node-versions.ts), installing it on first use; exits as the script exits. `npm run test:node26` runs the
 * Node suite this way.
 * @module
 */
import { spawn } from "node:child_process";
import { NODE_VERSIONS, nodeBinary } from "./support/node-versions";

const [major, ...args] = process.argv.slice(2);
const version = NODE_VERSIONS.find((candidate) => candidate.split(".")[0] === major);
if (!version || args.length === 0) {
  console.error(
    `usage: tsx test/package/on-node.ts <${NODE_VERSIONS.map((v) => v.split(".")[0]).join("|")}> <script> [args…]`,
  );
  process.exit(2);
}
const node = await nodeBinary(version);
const started = performance.now();
const child = spawn(node, args, { stdio: "inherit" });
child.on("exit", (code, signal) => {
  console.log(
    `on Node ${version}: ${args.join(" ")} exited with ${code ?? signal} after ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  process.exit(code ?? 1);
});
