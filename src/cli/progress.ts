/**
 * Progress on stderr, never on stdout: a bar redrawn in place when stderr is a terminal, otherwise one plain line
 * per operation at most every 10 seconds (and one when it ends), which CI logs keep readable.
 * @module
 */
import type { CliIo } from "./io";

/** How often a plain (not a terminal) progress line may be written. */
export const PLAIN_INTERVAL_MS = 10_000;
/** How often a bar is redrawn. */
const BAR_INTERVAL_MS = 100;

/** What a progress report says. */
export interface ProgressState {
  /** Bytes moved so far. */
  bytes: number;
  /** Items (blobs, files, manifests) done, and how many there are. */
  done: number;
  total: number;
}

/** One operation's progress reporter. */
export interface Progress {
  update(state: ProgressState): void;
  /** Writes the final line (plain) or clears the bar. */
  finish(): Promise<void>;
}

/** A reporter for `label`; silent with `-q`. */
export function startProgress(io: CliIo, label: string, quiet: boolean): Progress {
  if (quiet) return { update() {}, finish: async () => {} };
  const started = io.now();
  const tty = io.stderr.isTTY;
  let last: ProgressState = { bytes: 0, done: 0, total: 0 };
  let lastWrite = tty ? 0 : started;
  let pending: Promise<void> = Promise.resolve();
  const line = (state: ProgressState) => {
    const seconds = Math.max((io.now() - started) / 1000, 0.001);
    return `${label}: ${state.done}/${state.total} done, ${formatBytes(state.bytes)} (${formatBytes(state.bytes / seconds)}/s)`;
  };
  const draw = (state: ProgressState) => {
    const width = Math.max(10, Math.min(40, (io.stderr.columns ?? 80) - 60));
    const filled = state.total > 0 ? Math.round((state.done / state.total) * width) : 0;
    pending = pending.then(() =>
      io.stderr.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${line(state)}\u001b[K`),
    );
  };
  return {
    update(state) {
      last = state;
      const now = io.now();
      if (now - lastWrite < (tty ? BAR_INTERVAL_MS : PLAIN_INTERVAL_MS)) return;
      lastWrite = now;
      if (tty) draw(state);
      else pending = pending.then(() => io.stderr.write(`${line(state)}\n`));
    },
    async finish() {
      await pending;
      if (tty) await io.stderr.write(`\r${line(last)}\u001b[K\n`);
      else if (last.total > 0) await io.stderr.write(`${line(last)}\n`);
    },
  };
}

/** Bytes as B, KiB, MiB, GiB. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
