/**
 * A download that continues what an earlier run holds: the held bytes hashed again, and the blob's size read from the
 * answer to the range after them.
 * @module
 */
import type { Hasher } from "../digest/hasher";
import type { ContentContext } from "./context";
import { parseContentRange } from "./content-range";
import type { DownloadResumePoint } from "./download-blob";
import { brokenResponse, declaredSize } from "./download-response";

/** A hasher fed the bytes an earlier run holds; a RangeError when they are not exactly `offset` bytes. */
export async function hashedPrefix(
  context: ContentContext,
  resumeFrom: DownloadResumePoint,
  algorithm: Parameters<ContentContext["hasherFactory"]>[0],
): Promise<Hasher> {
  if (!Number.isSafeInteger(resumeFrom.offset) || resumeFrom.offset < 0)
    throw new RangeError(`resumeFrom.offset must be a non-negative integer, got ${resumeFrom.offset}`);
  const hasher = await context.hasherFactory(algorithm);
  let held = 0;
  const reader = resumeFrom.prefix.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    held += chunk.value.byteLength;
    if (held > resumeFrom.offset) break;
    await hasher.update(chunk.value);
  }
  await reader.cancel().catch(() => undefined);
  if (held !== resumeFrom.offset)
    throw new RangeError(
      `resumeFrom.prefix holds ${held > resumeFrom.offset ? "more" : "fewer"} than its offset of ${resumeFrom.offset} bytes`,
    );
  return hasher;
}

/** The blob's size from the answer a resumed download goes on with: a 206's total, else what a whole answer declares. */
export async function resumedSize(response: Response, digest: string): Promise<number | undefined> {
  if (response.status !== 206) return declaredSize(response, digest);
  const total = parseContentRange(response.headers.get("content-range"))?.total;
  if (total === undefined) throw await brokenResponse(response, digest, "a Content-Range without the blob's size");
  return total;
}
