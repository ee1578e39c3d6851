/**
 * The `Warning` response header (RFC 7234 §5.5), which OCI distribution 1.1 registries use with code 299 to tell
 * clients of deprecations and coming changes; and the fetch wrapper that hands those warnings to the client's
 * `onWarning`.
 * @module
 */
import type { FetchLike } from "./fetch-like";
import { redactUrl } from "../redaction/redact";
import { readQuotedString } from "../utils/quoted-string";

/** One warning of a `Warning` header. */
export interface WarningValue {
  /** The three-digit warn-code; OCI registries use 299 (miscellaneous persistent warning). */
  code: number;
  /** Who added it: a host or pseudonym, `-` when unknown (as OCI asks). */
  agent: string;
  /** The warning text, unquoted. */
  text: string;
  /** The warn-date, when the header has one. */
  date?: string;
}

/** A warning a registry sent, as given to the client's `onWarning`. */
export interface RegistryWarning {
  /** The warning text, e.g. `this repository is deprecated`. */
  text: string;
  /** The warn-code: always 299, the code OCI distribution 1.1 sends. */
  code: number;
  /** The warn-agent, usually `-`. */
  agent: string;
  /** The method of the request it answered. */
  method: string;
  /** The URL of the request it answered, without secrets. */
  url: string;
  /** The response's HTTP status. */
  status: number;
}

/** Receives each warning a registry sends. */
export type WarningHandler = (warning: RegistryWarning) => void;

/** The warn-code OCI distribution 1.1 gives its warnings; other codes are about caches, not the registry. */
export const OCI_WARNING_CODE = 299;

/**
 * Parses a `Warning` header value: `299 - "text"`, several separated by commas, each with an optional quoted date.
 * Never throws; a malformed entry is skipped up to the next comma outside quotes.
 */
export function parseWarningHeader(header: string | null | undefined): WarningValue[] {
  const text = header ?? "";
  const warnings: WarningValue[] = [];
  let position = 0;
  while (position < text.length) {
    const match = /^[\s,]*(\d{3})[ \t]+([^\s",]+)[ \t]+"/.exec(text.slice(position));
    if (!match) {
      position = skipEntry(text, position);
      continue;
    }
    const [quoted, afterText] = readQuotedString(text, position + match[0].length - 1);
    position = afterText;
    const warning: WarningValue = { code: Number(match[1]), agent: match[2]!, text: quoted };
    const dateMatch = /^[ \t]+"/.exec(text.slice(position));
    if (dateMatch) [warning.date, position] = readQuotedString(text, position + dateMatch[0].length - 1);
    if (/^[ \t]*(,|$)/.test(text.slice(position))) warnings.push(warning);
    position = skipEntry(text, position);
  }
  return warnings;
}

/** The OCI warnings (code 299) of a response's headers. */
export function ociWarnings(headers: Headers): WarningValue[] {
  return parseWarningHeader(headers.get("warning")).filter((warning) => warning.code === OCI_WARNING_CODE);
}

/** Warnings already reported are not reported again by the same client (OCI asks clients to deduplicate). */
const MAX_REMEMBERED = 256;

/**
 * Wraps a fetch so that every OCI warning of every response reaches `handler`, each distinct text once per
 * wrapper. A handler that throws does not fail the request.
 */
export function reportingWarnings(fetch: FetchLike, handler: WarningHandler): FetchLike {
  const reported = new Set<string>();
  return async (input, init) => {
    const response = await fetch(input, init);
    for (const { text, code, agent } of ociWarnings(response.headers)) {
      if (reported.has(text)) continue;
      if (reported.size < MAX_REMEMBERED) reported.add(text);
      try {
        handler({ text, code, agent, method: input.method, url: redactUrl(input.url), status: response.status });
      } catch {
        // ignored on purpose: a warning must never turn a good request into a failed one
      }
    }
    return response;
  };
}

/** The index after the next comma outside a quoted string, or the end. */
function skipEntry(text: string, start: number): number {
  let quoted = false;
  for (let position = start; position < text.length; position++) {
    const char = text[position];
    if (quoted && char === "\\") position++;
    else if (char === '"') quoted = !quoted;
    else if (char === "," && !quoted) return position + 1;
  }
  return text.length;
}
