/**
 * Parsing of `WWW-Authenticate` headers (RFC 9110 §11.6.1).
 * @module
 */

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
  const scanner = new Scanner(header);
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

function readParams(scanner: Scanner, params: Record<string, string>): void {
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
    const value = scanner.peek() === '"' ? scanner.quoted() : scanner.token68();
    params[name.toLowerCase()] = value;
  }
}

class Scanner {
  position = 0;
  constructor(private readonly text: string) {}

  done(): boolean {
    return this.position >= this.text.length;
  }

  peek(): string | undefined {
    return this.text[this.position];
  }

  advance(): void {
    this.position++;
  }

  skip(pattern: RegExp): void {
    while (!this.done() && pattern.test(this.text[this.position]!)) this.position++;
  }

  /** An RFC 9110 token. */
  token(): string {
    return this.take(/[!#$%&'*+.^_`|~0-9A-Za-z-]/);
  }

  /** An unquoted parameter value: anything up to a comma or space. */
  token68(): string {
    return this.take(/[^\s,]/);
  }

  quoted(): string {
    this.advance();
    let value = "";
    while (!this.done()) {
      const char = this.text[this.position++]!;
      if (char === '"') return value;
      if (char === "\\" && !this.done()) value += this.text[this.position++];
      else value += char;
    }
    return value;
  }

  private take(pattern: RegExp): string {
    const start = this.position;
    while (!this.done() && pattern.test(this.text[this.position]!)) this.position++;
    return this.text.slice(start, this.position);
  }
}
