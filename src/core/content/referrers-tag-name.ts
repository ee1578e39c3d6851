/**
 * The name of a subject's referrers tag (OCI distribution 1.1, §"Referrers Tag Schema"), apart from the code that
 * reads and writes the tag so that naming it loads none of that code.
 * @module
 */
import { parseDigest } from "../grammar/digest";

/** The fallback tag of a subject: `sha256-<hex>`, the encoded part cut to 64 characters as the spec says. */
export function referrersTagOf(subjectDigest: string): string {
  const parsed = parseDigest(subjectDigest);
  if (!parsed) throw new TypeError(`Invalid subject digest ${JSON.stringify(subjectDigest)}`);
  return `${parsed.algorithm}-${parsed.hex.slice(0, 64)}`;
}
