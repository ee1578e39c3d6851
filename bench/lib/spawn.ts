/**
 * Starting a child process with captured output and a wall-clock time, for workers and external tools alike.
 * @module
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The repository root: every child runs there. */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** How a child process ended. */
export interface Captured {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit. */
  ms: number;
}

/** Runs a command to its end (killed after `timeoutMs`), capturing stdout and stderr. */
export function spawnCaptured(
  command: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<Captured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (data: Buffer) => (stdout += data.toString()));
    child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
    child.on("error", reject);
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started });
    });
  });
}
