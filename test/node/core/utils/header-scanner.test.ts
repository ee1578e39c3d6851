/**
 * The one scanner of header values, and the three parsers on it (WWW-Authenticate, Link, Warning) reading a quoted
 * string alike.
 */
import { describe, expect, it } from "vitest";
import { parseChallenges } from "../../../../src/core/auth/challenge";
import { parseWarningHeader } from "../../../../src/core/http/warning";
import { parseLinkHeader } from "../../../../src/core/paging/link-header";
import { HeaderScanner } from "../../../../src/core/utils/header-scanner";

describe("HeaderScanner", () => {
  it("reads a token, then a quoted string with escapes, and stops after its closing quote", () => {
    const scanner = new HeaderScanner('Bearer "a \\"b\\", c" rest');
    expect(scanner.token()).toBe("Bearer");
    scanner.skip(/\s/);
    expect(scanner.quoted()).toBe('a "b", c');
    expect(scanner.text.slice(scanner.position)).toBe(" rest");
  });

  it("runs an unclosed quoted string to the end without passing it", () => {
    const scanner = new HeaderScanner('"never closed\\');
    expect(scanner.quoted()).toBe("never closed");
    expect(scanner.done()).toBe(true);
    expect(scanner.position).toBe(scanner.text.length);
  });

  it("skips past a separator outside quotes only", () => {
    const scanner = new HeaderScanner('junk "x, \\" y", next');
    scanner.skipPast(",");
    expect(scanner.text.slice(scanner.position)).toBe(" next");
    scanner.skipPast(",");
    expect(scanner.done()).toBe(true);
  });

  it("moves on a sticky match, and neither on a miss nor on sees()", () => {
    const scanner = new HeaderScanner("299 - text");
    expect(scanner.match(/\d{4}/y)).toBeUndefined();
    expect(scanner.position).toBe(0);
    expect(scanner.sees(/\d{3}/y)).toBe(true);
    expect(scanner.position).toBe(0);
    expect(scanner.match(/(\d{3}) /y)?.[1]).toBe("299");
    expect(scanner.position).toBe(4);
  });
});

describe("the header parsers read a quoted string alike", () => {
  const quoted = '"a \\"b\\", c; d=e"';
  const text = 'a "b", c; d=e';

  it("WWW-Authenticate, Link and Warning", () => {
    expect(parseChallenges(`Bearer realm=${quoted},service="s"`)).toEqual([
      { scheme: "bearer", params: { realm: text, service: "s" } },
    ]);
    expect(parseLinkHeader(`</v2/x?n=1>; title=${quoted}; rel="next"`)).toEqual([
      { target: "/v2/x?n=1", params: { title: text, rel: "next" } },
    ]);
    expect(parseWarningHeader(`299 - ${quoted}, 299 - "second"`)).toEqual([
      { code: 299, agent: "-", text },
      { code: 299, agent: "-", text: "second" },
    ]);
  });
});
