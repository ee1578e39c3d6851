/**
 * The one scanner of structured HTTP header values (RFC 9110 §5.6): tokens, quoted strings with escapes, and the
 * separators between list entries. The `WWW-Authenticate`, `Link` and `Warning` parsers are written on it, so a
 * quoted string reads the same in each.
 * @module
 */

/** A cursor over a header value; every read moves past what it read, and none throws. */
export class HeaderScanner {
  /** The index of the next character to read. */
  position = 0;

  constructor(readonly text: string) {}

  /** Whether every character has been read. */
  done(): boolean {
    return this.position >= this.text.length;
  }

  /** The next character, not read. */
  peek(): string | undefined {
    return this.text[this.position];
  }

  /** Moves past one character. */
  advance(): void {
    this.position++;
  }

  /** Moves past every character that `pattern` (a one-character class) matches. */
  skip(pattern: RegExp): void {
    this.take(pattern);
  }

  /** Reads the characters that `pattern` (a one-character class) matches. */
  take(pattern: RegExp): string {
    const start = this.position;
    while (!this.done() && pattern.test(this.text[this.position]!)) this.position++;
    return this.text.slice(start, this.position);
  }

  /** An RFC 9110 token (`tchar`s). */
  token(): string {
    return this.take(/[!#$%&'*+.^_`|~0-9A-Za-z-]/);
  }

  /**
   * A quoted-string (RFC 9110 §5.6.4) that starts at the quote under the cursor: its text without quotes and escapes.
   * One without a closing quote runs to the end.
   */
  quoted(): string {
    let value = "";
    this.position++;
    while (!this.done() && this.text[this.position] !== '"') {
      if (this.text[this.position] === "\\") this.position++;
      value += this.text[this.position] ?? "";
      this.position++;
    }
    this.position = Math.min(this.position + 1, this.text.length);
    return value;
  }

  /** Matches a sticky (`y`) pattern at the cursor and moves past the match; undefined, and no move, without one. */
  match(pattern: RegExp): RegExpExecArray | undefined {
    pattern.lastIndex = this.position;
    const match = pattern.exec(this.text) ?? undefined;
    if (match) this.position += match[0].length;
    return match;
  }

  /** Whether a sticky (`y`) pattern matches at the cursor, without moving. */
  sees(pattern: RegExp): boolean {
    pattern.lastIndex = this.position;
    return pattern.test(this.text);
  }

  /** Moves past the next `separator` outside a quoted string, or to the end: past a malformed list entry. */
  skipPast(separator: string): void {
    let quoted = false;
    while (!this.done()) {
      const char = this.text[this.position++];
      if (quoted && char === "\\") this.position++;
      else if (char === '"') quoted = !quoted;
      else if (char === separator && !quoted) return;
    }
    this.position = Math.min(this.position, this.text.length);
  }
}
