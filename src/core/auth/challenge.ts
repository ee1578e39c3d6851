/**
 * Parsing of `WWW-Authenticate` headers (RFC 9110 §11.6.1).
 * @module
 */
import { HeaderScanner } from "../utils/header-scanner";

/** One challenge of a `WWW-Authenticate` header. */
export interface Challenge {
  /** The scheme in lowercase: `bearer`, `basic`, ... */
  scheme: string;
  /** Parameters by lowercase name: `realm`, `service`, `scope`, `error`. */
  params: Record<string, string>;
}

/**
 * Parses every challenge in a `WWW-Authenticate` value.
 *
 * Tolerates extra spaces, either case, quoted values with commas, spaces and escapes inside, unquoted values,
 * and several challenges in one header. Never throws: malformed parts are skipped.
 */
export function parseChallenges(header: string | null | undefined): Challenge[] {
  if (!header) return [];
  const challenges: Challenge[] = [];
  const scanner = new HeaderScanner(header);
  while (!scanner.done()) {
    scanner.skip(/[\s,]/);
    const scheme = scanner.token();
    if (!scheme) {
      scanner.advance();
      continue;
    }
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    readParams(scanner, challenge.params);
  }
  return challenges;
}

/** The first challenge of the given scheme, if any. */
export function findChallenge(header: string | null | undefined, scheme: "bearer" | "basic"): Challenge | undefined {
  return parseChallenges(header).find((challenge) => challenge.scheme === scheme);
}

function readParams(scanner: HeaderScanner, params: Record<string, string>): void {
  for (;;) {
    scanner.skip(/[\s,]/);
    const mark = scanner.position;
    const name = scanner.token();
    scanner.skip(/\s/);
    if (!name || scanner.peek() !== "=") {
      // Not a parameter: it is the next challenge's scheme (or junk); leave it for the caller.
      scanner.position = mark;
      return;
    }
    scanner.advance();
    scanner.skip(/\s/);
    // An unquoted value is anything up to a comma or space (token68 included).
    const value = scanner.peek() === '"' ? scanner.quoted() : scanner.take(/[^\s,]/);
    params[name.toLowerCase()] = value;
  }
}
