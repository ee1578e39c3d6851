/**
 * Parsing of the `Link` header (RFC 8288) that registries page with.
 * @module
 */

/** One link of a `Link` header. */
export interface Link {
  target: string;
  params: Record<string, string>;
}

/** Parses every `<target>; name="value"` link of a header value. Never throws; malformed links are skipped. */
export function parseLinkHeader(header: string | null | undefined): Link[] {
  if (!header) return [];
  const links: Link[] = [];
  const pattern = /<([^>]*)>((?:\s*;\s*[^;,]+?(?:=(?:"(?:[^"\\]|\\.)*"|[^;,]*))?)*)/g;
  for (const match of header.matchAll(pattern)) {
    const params: Record<string, string> = {};
    for (const param of match[2]!.matchAll(/;\s*([^;=,\s]+)\s*(?:=\s*(?:"((?:[^"\\]|\\.)*)"|([^;,]*)))?/g)) {
      params[param[1]!.toLowerCase()] = (param[2] ?? param[3] ?? "").trim().replace(/\\(.)/g, "$1");
    }
    links.push({ target: match[1]!.trim(), params });
  }
  return links;
}

/** The target of the `rel="next"` link, if any. */
export function findNextLink(header: string | null | undefined): string | undefined {
  return parseLinkHeader(header).find((link) => link.params.rel?.toLowerCase().split(/\s+/).includes("next"))?.target;
}
