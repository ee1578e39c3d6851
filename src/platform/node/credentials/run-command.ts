/**
 * Runs a local tool (`az`, `azd`, `docker-credential-*`) for a credential: no shell, a time limit, bounded output,
 * and failures that say what happened without repeating what the tool printed on stdout (it may hold a token).
 * @module
 */
import { execFile } from "node:child_process";
import { CredentialUnavailableError } from "./credential-unavailable-error";

/** What a finished command printed and how it ended. */
export interface CommandOutput {
  /** The exit code; 0 is success. */
  exitCode: number;
  /** Standard output, UTF-8: may hold secrets, so it never goes into an error message. */
  stdout: string;
  /** Standard error, UTF-8. */
  stderr: string;
}

/** How to run a command. */
export interface RunCommandOptions {
  /** Kills the command after this long. */
  timeoutMs: number;
  /** Written to the command's standard input, which is then closed. */
  input?: string;
  /** Cancels the command. */
  signal?: AbortSignal;
  /**
   * On Windows, the tool is a batch file (`az.cmd`) that only `cmd.exe` can start; the arguments must then be
   * plain (callers validate them), since `cmd.exe` parses them.
   */
  windowsBatch?: boolean;
}

/** The largest output read from a tool; token answers are a few kilobytes. */
const MAX_OUTPUT = 1024 * 1024;

function invocation(command: string, args: string[], windowsBatch: boolean | undefined): [string, string[]] {
  if (process.platform !== "win32" || !windowsBatch) return [command, args];
  return [process.env.ComSpec || "cmd.exe", ["/d", "/s", "/c", `${command}.cmd`, ...args]];
}

/**
 * Runs `command` with `args` and resolves with its output, whatever its exit code.
 * @throws {@link CredentialUnavailableError} when the command is not installed, times out or cannot be started
 */
export function runCommand(
  credentialName: string,
  command: string,
  args: string[],
  options: RunCommandOptions,
): Promise<CommandOutput> {
  const [file, argv] = invocation(command, args, options.windowsBatch);
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      argv,
      {
        encoding: "utf8",
        timeout: options.timeoutMs,
        maxBuffer: MAX_OUTPUT,
        windowsHide: true,
        signal: options.signal,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ exitCode: 0, stdout, stderr });
        const failure = error as NodeJS.ErrnoException & { killed?: boolean; code?: string | number };
        if (options.signal?.aborted) return reject(options.signal.reason);
        if (failure.code === "ENOENT") {
          return reject(
            new CredentialUnavailableError(credentialName, `\`${command}\` is not installed or not on PATH`),
          );
        }
        // Checked before `killed`: Node kills a tool that prints too much, too.
        if (failure.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") {
          return reject(
            new CredentialUnavailableError(credentialName, `\`${command}\` printed more than ${MAX_OUTPUT} bytes`),
          );
        }
        if (failure.killed) {
          return reject(
            new CredentialUnavailableError(
              credentialName,
              `\`${command}\` did not finish within ${options.timeoutMs} ms`,
            ),
          );
        }
        if (typeof failure.code === "number") return resolve({ exitCode: failure.code, stdout, stderr });
        // Spawn failures (EACCES, ...) carry no output, only a code.
        reject(
          new CredentialUnavailableError(
            credentialName,
            `\`${command}\` could not be run (${String(failure.code ?? failure.name)})`,
          ),
        );
      },
    );
    // A tool that does not read its input must not make us fail with EPIPE.
    child.stdin?.on("error", () => {});
    child.stdin?.end(options.input ?? "");
  });
}

/** The first line of a tool's standard error, shortened: enough to say why, without a wall of text. */
export function firstErrorLine(stderr: string): string {
  const line =
    stderr
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? "no error output";
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** Parses a tool's JSON output; unparseable output is reported without its content. */
export function parseToolJson(credentialName: string, command: string, stdout: string): Record<string, unknown> {
  try {
    const value = JSON.parse(stdout) as unknown;
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below, without the output
  }
  throw new CredentialUnavailableError(
    credentialName,
    `\`${command}\` printed output that is not the expected JSON object`,
  );
}

/** A timeout option: a positive number of milliseconds, or the default. */
export function checkTimeout(timeoutMs: number | undefined, fallback: number, credentialName: string): number {
  if (timeoutMs === undefined) return fallback;
  if (typeof timeoutMs !== "number" || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new RangeError(
      `${credentialName} timeoutMs must be a positive number of milliseconds, got ${String(timeoutMs)}`,
    );
  }
  return timeoutMs;
}
