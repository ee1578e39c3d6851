/**
 * Parsing of the `Link` header (RFC 8288) that registries page with.
 * @module
 */
import { readQuotedString } from "../utils/quoted-string";

/** One link of a `Link` header. */
export interface Link {
  target: string;
  params: Record<string, string>;
}

/** Parses every `<target>; name="value"` link of a header value. Never throws; malformed links are skipped. */
export function parseLinkHeader(header: string | null | undefined): Link[] {
  const links: Link[] = [];
  const text = header ?? "";
  let position = 0;
  while (position < text.length) {
    const open = text.indexOf("<", position);
    const close = open < 0 ? -1 : text.indexOf(">", open);
    if (close < 0) break;
    const params: Record<string, string> = {};
    position = readParams(text, close + 1, params);
    links.push({ target: text.slice(open + 1, close).trim(), params });
  }
  return links;
}

/** The target of the `rel="next"` link, if any. */
export function findNextLink(header: string | null | undefined): string | undefined {
  return parseLinkHeader(header).find((link) => link.params.rel?.toLowerCase().split(/\s+/).includes("next"))?.target;
}

/** Reads `; name=value` pairs from `start` up to the comma that ends the link; returns where it stopped. */
function readParams(text: string, start: number, params: Record<string, string>): number {
  let position = start;
  while (position < text.length) {
    const char = text[position]!;
    if (char === ",") return position + 1;
    if (char !== ";") {
      position++;
      continue;
    }
    const nameMatch = /^;\s*([^\s=;,]+)\s*/.exec(text.slice(position));
    if (!nameMatch) {
      position++;
      continue;
    }
    position += nameMatch[0].length;
    let value = "";
    if (text[position] === "=") {
      position++;
      while (text[position] === " ") position++;
      [value, position] = text[position] === '"' ? readQuotedString(text, position) : readToken(text, position);
    }
    params[nameMatch[1]!.toLowerCase()] = value;
  }
  return position;
}

function readToken(text: string, start: number): [string, number] {
  const match = /^[^;,]*/.exec(text.slice(start))!;
  return [match[0].trim(), start + match[0].length];
}
