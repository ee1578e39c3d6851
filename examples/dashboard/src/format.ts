/**
 * How the dashboard prints sizes, dates, digests and media types.
 * @module
 */

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

/** `1.5 MiB`. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return "–";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const SHORT_DATE = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/** A date in the reader's locale; `short` leaves out the year, for tables. */
export function formatDate(date: Date | undefined, style: "full" | "short" = "full"): string {
  if (!date) return "–";
  return (style === "short" ? SHORT_DATE : DATE).format(date);
}

/** `sha256:1a2b3c4d5e6f` — enough to tell digests apart on screen; the full digest goes in the title. */
export function shortDigest(digest: string): string {
  const [algorithm, hex = ""] = digest.split(":");
  return `${algorithm}:${hex.slice(0, 12)}`;
}

/** The last meaningful part of a media type: `application/vnd.oci.image.manifest.v1+json` → `oci.image.manifest`. */
export function shortMediaType(mediaType: string | undefined): string {
  if (!mediaType) return "–";
  return mediaType
    .replace(/^application\//, "")
    .replace(/^vnd\./, "")
    .replace(/\.v\d+\+json$|\+json$/, "")
    .replace(/\.v2$/, "");
}

/** A message for an error of any kind, for the status line. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
