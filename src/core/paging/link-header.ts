/**
 * Parsing of the `Link` header (RFC 8288) that registries page with.
 * @module
 */
import { HeaderScanner } from "../utils/header-scanner";

/** One link of a `Link` header. */
export interface Link {
  target: string;
  params: Record<string, string>;
}

/** Parses every `<target>; name="value"` link of a header value. Never throws; malformed links are skipped. */
export function parseLinkHeader(header: string | null | undefined): Link[] {
  const links: Link[] = [];
  const scanner = new HeaderScanner(header ?? "");
  for (;;) {
    const open = scanner.text.indexOf("<", scanner.position);
    const close = open < 0 ? -1 : scanner.text.indexOf(">", open);
    if (close < 0) break;
    scanner.position = close + 1;
    links.push({ target: scanner.text.slice(open + 1, close).trim(), params: readParams(scanner) });
  }
  return links;
}

/** The target of the `rel="next"` link, if any. */
export function findNextLink(header: string | null | undefined): string | undefined {
  return parseLinkHeader(header).find((link) => link.params.rel?.toLowerCase().split(/\s+/).includes("next"))?.target;
}

/** Reads `; name=value` pairs up to the comma that ends the link, and moves past it. */
function readParams(scanner: HeaderScanner): Record<string, string> {
  const params: Record<string, string> = {};
  while (!scanner.done()) {
    const char = scanner.peek();
    if (char === ",") {
      scanner.advance();
      break;
    }
    const name = char === ";" ? scanner.match(/;\s*([^\s=;,]+)\s*/y) : undefined;
    if (!name) {
      scanner.advance();
      continue;
    }
    let value = "";
    if (scanner.peek() === "=") {
      scanner.advance();
      scanner.skip(/ /);
      value = scanner.peek() === '"' ? scanner.quoted() : scanner.take(/[^;,]/).trim();
    }
    params[name[1]!.toLowerCase()] = value;
  }
  return params;
}
