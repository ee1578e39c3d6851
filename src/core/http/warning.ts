/**
 * The `Warning` response header (RFC 7234 §5.5), which OCI distribution 1.1 registries use with code 299 to tell
 * clients of deprecations and coming changes; and the fetch wrapper that hands those warnings to the client's
 * `onWarning`.
 * @module
 */
import type { FetchLike } from "./fetch-like";
import { redactUrl } from "../redaction/redact";
import { HeaderScanner } from "../utils/header-scanner";

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
  const warnings: WarningValue[] = [];
  const scanner = new HeaderScanner(header ?? "");
  while (!scanner.done()) {
    const match = scanner.match(/[\s,]*(\d{3})[ \t]+([^\s",]+)[ \t]+(?=")/y);
    if (!match) {
      scanner.skipPast(",");
      continue;
    }
    const warning: WarningValue = { code: Number(match[1]), agent: match[2]!, text: scanner.quoted() };
    if (scanner.match(/[ \t]+(?=")/y)) warning.date = scanner.quoted();
    if (scanner.sees(/[ \t]*(,|$)/y)) warnings.push(warning);
    scanner.skipPast(",");
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
