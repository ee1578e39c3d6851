/**
 * The seam between commands and the process: where results (stdout) and progress and logs (stderr) go, what the
 * environment says, and whether a person is at the terminal. Tests run commands in-process with their own.
 * @module
 */
import { Readable, Writable } from "node:stream";

/** A stream the CLI writes to. */
export interface OutputStream {
  /** Writes text or bytes; resolves once the bytes are handed to the stream (after a drain when it is full). */
  write(chunk: string | Uint8Array): Promise<void>;
  /** Whether the stream is a terminal. */
  readonly isTTY: boolean;
  /** The terminal width, for progress bars. */
  readonly columns?: number;
  /** The stream as a Web stream, for piping bytes (blob get -). */
  writable(): WritableStream<Uint8Array>;
}

/** Everything a command touches outside itself. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Standard input as bytes (push -, blob put -, --password-stdin). */
  stdin(): ReadableStream<Uint8Array>;
  /** Whether standard input is a terminal (a real purge asks there). */
  stdinIsTTY: boolean;
  /** Asks a yes/no question on the terminal; false when there is none. */
  confirm(question: string): Promise<boolean>;
  /** The environment variables. */
  env: Record<string, string | undefined>;
  /** Aborted on SIGINT. */
  signal: AbortSignal;
  /** Milliseconds since the epoch (for --older-than). */
  now(): number;
}

function nodeOutput(stream: NodeJS.WriteStream): OutputStream {
  return {
    isTTY: stream.isTTY === true,
    get columns() {
      return stream.columns;
    },
    write: (chunk) =>
      new Promise<void>((resolve, reject) => {
        stream.write(chunk, (error) => (error ? reject(error) : resolve()));
      }),
    writable: () => Writable.toWeb(stream) as WritableStream<Uint8Array>,
  };
}

/** The process's own streams, environment and SIGINT. */
export function processIo(): CliIo {
  const interrupt = new AbortController();
  process.once("SIGINT", () => interrupt.abort(Object.assign(new Error("Interrupted"), { name: "InterruptedError" })));
  return {
    stdout: nodeOutput(process.stdout),
    stderr: nodeOutput(process.stderr),
    stdin: () => Readable.toWeb(process.stdin) as ReadableStream<Uint8Array>,
    stdinIsTTY: process.stdin.isTTY === true,
    confirm: async (question) => {
      if (!process.stdin.isTTY) return false;
      const { createInterface } = await import("node:readline/promises");
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
      } finally {
        rl.close();
      }
    },
    env: process.env,
    signal: interrupt.signal,
    now: () => Date.now(),
  };
}
