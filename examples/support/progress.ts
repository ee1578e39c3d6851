/**
 * A one-line terminal progress bar for `onProgress` callbacks.
 * @module
 */
import type { TransferProgress } from "acrkit/node";

const WIDTH = 30;

/** Formats a byte count for people: `512 B`, `1.5 KiB`, `24.0 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * Returns an `onProgress` callback drawing `label [#####-----]  42%  10.0 MiB / 24.0 MiB`, and a `done()` that ends
 * the line.
 *
 * On a terminal the line is redrawn in place. When the output is a pipe or a file (CI logs, the example tests),
 * carriage returns would pile up into one unreadable line, so it prints a line at each quarter instead.
 */
export function progressBar(
  label: string,
  stream: NodeJS.WriteStream = process.stdout,
): {
  onProgress: (progress: TransferProgress) => void;
  done: () => void;
} {
  const started = performance.now();
  let lastQuarter = -1;
  let last: TransferProgress = { loaded: 0 };

  const render = (progress: TransferProgress): string => {
    const fraction = progress.total ? Math.min(progress.loaded / progress.total, 1) : 0;
    const filled = Math.round(fraction * WIDTH);
    const bar = `${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}`;
    const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
    const amount =
      progress.total === undefined
        ? formatBytes(progress.loaded)
        : `${formatBytes(progress.loaded)} / ${formatBytes(progress.total)}`;
    return `${label} [${bar}] ${percent}  ${amount}`;
  };

  return {
    onProgress(progress) {
      last = progress;
      if (stream.isTTY) {
        stream.write(`\r${render(progress)}`);
        return;
      }
      const quarter = progress.total ? Math.floor((progress.loaded / progress.total) * 4) : 0;
      if (quarter > lastQuarter) {
        lastQuarter = quarter;
        stream.write(`${render(progress)}\n`);
      }
    },
    done() {
      const seconds = (performance.now() - started) / 1000;
      const rate = seconds > 0 ? `, ${formatBytes(last.loaded / seconds)}/s` : "";
      if (stream.isTTY) stream.write(`\r${render(last)}  (${seconds.toFixed(2)} s${rate})\n`);
      else stream.write(`${label} finished in ${seconds.toFixed(2)} s${rate}\n`);
    },
  };
}
