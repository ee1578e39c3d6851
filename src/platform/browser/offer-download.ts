/**
 * Offers a Blob (or a File, which may live on disk) to the user as a download, through an `<a download>` click.
 * @module
 */

/** How long a Blob URL outlives the click that starts its download; the browser must open it first. */
export const BLOB_URL_LIFETIME_MS = 60_000;

/** Clicks a hidden download link to `blob`; the URL is revoked (and `onRevoked` called) once the browser had time to open it. */
export function offerDownload(blob: Blob, filename: string, onRevoked?: () => void): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.download = filename;
  anchor.rel = "noopener";
  anchor.style.display = "none";
  document.body.append(anchor);
  try {
    anchor.click();
  } finally {
    anchor.remove();
    setTimeout(() => {
      URL.revokeObjectURL(url);
      onRevoked?.();
    }, BLOB_URL_LIFETIME_MS);
  }
}
