/**
 * Runs a command as a package check does: a child process whose output is kept, so a failing check explains itself.
 * @module
 */
import { spawn } from "node:child_process";

/** What a finished command left: its exit code and its output. */
export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for failure messages. */
  output: string;
}

/** Runs `command` with `args` in `cwd` and resolves when it exits, whatever its exit code. */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ code, stdout, stderr, output: `$ ${command} ${args.join(" ")}\n${stdout}\n${stderr}` }),
    );
  });
}

/** Runs a command and throws with its output unless it exits with 0. */
export async function runOrThrow(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<CommandResult> {
  const result = await runCommand(command, args, options);
  if (result.code !== 0) throw new Error(`exit code ${result.code}\n${result.output}`);
  return result;
}
