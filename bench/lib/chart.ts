/**
 * bench/results.svg, written by hand: one panel of horizontal bars per comparison, acrkit's bars in one colour and
 * every other contender's in another, each labelled with its value and its ratio to the panel's reference.
 * @module
 */
import type { Report, Row } from "./report";

interface Bar {
  label: string;
  value: number;
  text: string;
  acrkit: boolean;
}

interface Panel {
  title: string;
  bars: Bar[];
}

const WIDTH = 960;
const LABEL_WIDTH = 330;
const BAR_AREA = 470;
const BAR_HEIGHT = 16;
const GAP = 6;

function escape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

function bar(row: Row, value: number, text: string): Bar {
  const ratio = row.ratio !== undefined ? `  (${row.ratio.toFixed(2)}× ${row.reference})` : "";
  return {
    label: `${row.contender} · ${row.registry}`,
    value,
    text: `${text}${ratio}`,
    acrkit: row.contender.startsWith("acrkit"),
  };
}

function panels(report: Report): Panel[] {
  const rowsOf = (prefix: string) => report.rows.filter((row) => row.scenario.startsWith(prefix));
  const throughput = (prefix: string, title: string): Panel => ({
    title,
    bars: rowsOf(prefix).map((row) => bar(row, row.mbps ?? 0, `${(row.mbps ?? 0).toFixed(0)} MB/s`)),
  });
  const seconds = (prefix: string, title: string, exact = false): Panel => ({
    title,
    bars: rowsOf(prefix)
      .filter((row) => !exact || row.scenario === prefix)
      .map((row) => bar(row, row.medianMs / 1000, `${(row.medianMs / 1000).toFixed(2)} s`)),
  });
  const overLink = (direction: string, title: string): Panel => ({
    title,
    bars: report.rows
      .filter((row) => row.scenario.startsWith(direction) && row.scenario.endsWith("MB/s"))
      .map((row) => ({
        ...bar(row, row.mbps ?? 0, `${(row.mbps ?? 0).toFixed(1)} MB/s`),
        label: `${row.contender} · ${row.scenario.split(", ")[1]} · ${row.registry}`,
      })),
  });
  return [
    overLink(
      "upload",
      "Upload of one blob over the link model (per-connection rate, round trip) — MB/s, longer is better",
    ),
    overLink("download", "Download of one blob over the link model — MB/s, longer is better (both verify the digest)"),
    throughput("upload 1 GiB", "Upload of one 1 GiB blob — MB/s, longer is better"),
    throughput(
      "download 1 GiB",
      "Download of one 1 GiB blob — MB/s, longer is better (acrkit and openssl verify the digest)",
    ),
    seconds(
      "push 50 × 2 MiB",
      "Push of an image of 50 × 2 MiB layers (bare loopback) — seconds, shorter is better",
      true,
    ),
    seconds(
      "pull 50 × 2 MiB",
      "Pull of an image of 50 × 2 MiB layers (bare loopback) — seconds, shorter is better",
      true,
    ),
    seconds("push 50 × 2 MiB,", "Push of the same image over a 20 ms round trip — seconds, shorter is better"),
    seconds("pull 50 × 2 MiB,", "Pull of the same image over a 20 ms round trip — seconds, shorter is better"),
    seconds("list 5,000", "Listing 5,000 tags in pages of 100 — seconds, shorter is better"),
    {
      title: "Metadata calls — ms per call, shorter is better (HTTP requests per call in brackets)",
      bars: report.rows
        .filter((row) => row.scenario.includes("metadata"))
        .map((row) => ({
          ...bar(
            row,
            row.msPerCall ?? 0,
            `${(row.msPerCall ?? 0).toFixed(2)} ms [${row.requestsPerCall?.toFixed(2) ?? "?"} req]`,
          ),
          label: `${row.contender} · ${row.scenario.includes("cold") ? "cold" : "warm"}`,
        })),
    },
    throughput("chunk size", "acrkit upload chunk size — MB/s, longer is better"),
  ].filter((panel) => panel.bars.length > 0);
}

/** The SVG document. */
export function renderSvg(report: Report): string {
  const parts: string[] = [];
  let y = 74;
  for (const panel of panels(report)) {
    parts.push(`<text x="16" y="${y}" class="title">${escape(panel.title)}</text>`);
    y += 12;
    const max = Math.max(...panel.bars.map((b) => b.value), 1e-9);
    for (const b of panel.bars) {
      const width = Math.max(1, (b.value / max) * BAR_AREA);
      parts.push(
        `<text x="${LABEL_WIDTH - 8}" y="${y + BAR_HEIGHT - 4}" class="label" text-anchor="end">${escape(b.label)}</text>`,
        `<rect x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" class="${b.acrkit ? "acrkit" : "other"}"/>`,
        `<text x="${(LABEL_WIDTH + width + 6).toFixed(1)}" y="${y + BAR_HEIGHT - 4}" class="value">${escape(b.text)}</text>`,
      );
      y += BAR_HEIGHT + GAP;
    }
    y += 26;
  }
  const meta = report.meta;
  const subtitle = `${String(meta.date).slice(0, 10)} · Node ${String(meta.node)} · ${String(meta.cpus)} CPUs (shared, noisy) · median of ${String(meta.rounds)} alternating rounds · loopback`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH + 200}" height="${y}" viewBox="0 0 ${WIDTH + 200} ${y}" font-family="system-ui, sans-serif">`,
    "<style>.title{font-size:14px;font-weight:600;fill:#222}.label{font-size:12px;fill:#333}.value{font-size:11px;fill:#444}.acrkit{fill:#2b6cb0}.other{fill:#a0aec0}.head{font-size:18px;font-weight:700;fill:#111}.sub{font-size:12px;fill:#555}</style>",
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="16" y="24" class="head">acrkit benchmark</text>`,
    `<text x="16" y="42" class="sub">${escape(subtitle)}</text>`,
    ...parts,
    "</svg>",
    "",
  ].join("\n");
}
