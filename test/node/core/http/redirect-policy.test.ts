/**
 * The redirect policy on its own: where a redirect may lead (5 hops, http(s) only, never https → http), how the
 * method changes per status, and what the refusal names (the URL asked for, without secrets).
 */
import { describe, expect, it } from "vitest";
import { isRedirect, MAX_REDIRECTS, redirectedMethod, redirectTarget } from "../../../../src/core/http/redirect-policy";
import { RegistryError } from "../../../../src/index";

const redirect = (status: number, location?: string) =>
  new Response(null, { status, headers: location === undefined ? {} : { location } });
const HTTPS = new URL("https://127.0.0.1:5443/v2/app/blobs/sha256:aa");
const ORIGINAL = new URL("https://127.0.0.1:5443/v2/app/blobs/sha256:aa?sig=SecretSignature0123456789");

function refusal(run: () => unknown): RegistryError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RegistryError);
    return error as RegistryError;
  }
  throw new Error("the redirect was followed");
}

describe("redirectTarget", () => {
  it("resolves a relative Location against the URL that answered", () => {
    expect(redirectTarget(redirect(307, "../other?x=1"), HTTPS, 0, "GET", HTTPS).href).toBe(
      "https://127.0.0.1:5443/v2/app/other?x=1",
    );
    expect(
      redirectTarget(redirect(302, "http://127.0.0.1:9/plain"), new URL("http://127.0.0.1:8/"), 0, "GET", HTTPS).href,
    ).toBe("http://127.0.0.1:9/plain");
  });

  it(`follows ${MAX_REDIRECTS} hops and refuses the next`, () => {
    expect(redirectTarget(redirect(302, "/next"), HTTPS, MAX_REDIRECTS - 1, "GET", HTTPS).pathname).toBe("/next");
    expect(refusal(() => redirectTarget(redirect(302, "/next"), HTTPS, MAX_REDIRECTS, "GET", HTTPS)).message).toContain(
      `more than ${MAX_REDIRECTS} redirects`,
    );
  });

  it.each([
    [undefined, "without a Location"],
    ["http://[bad", "invalid Location"],
    ["ftp://127.0.0.1/blob", "a redirect to ftp:"],
    ["javascript:alert(1)", "a redirect to javascript:"],
    ["http://127.0.0.1:5000/blob", "from https to http"],
  ])(
    "refuses Location %j (%s) with the redirect's status, naming the URL asked for without its secrets",
    (location, problem) => {
      const error = refusal(() => redirectTarget(redirect(307, location), HTTPS, 0, "GET", ORIGINAL));
      expect(error.statusCode).toBe(307);
      expect(error.message).toContain(problem);
      expect(error.url).toContain("127.0.0.1:5443/v2/app/blobs/sha256:aa");
      expect(`${error.url} ${error.message}`).not.toContain("SecretSignature0123456789");
    },
  );
});

describe("redirectedMethod", () => {
  it.each([
    [303, "POST", "GET", false],
    [303, "PUT", "GET", false],
    [303, "HEAD", "HEAD", false],
    [301, "POST", "GET", false],
    [302, "POST", "GET", false],
    [301, "GET", "GET", true],
    [302, "PUT", "PUT", true],
    [307, "POST", "POST", true],
    [308, "PATCH", "PATCH", true],
  ])("turns a %i after %s into %s (body kept: %s)", (status, method, next, keepBody) => {
    expect(redirectedMethod(status, method)).toEqual({ method: next, keepBody });
  });
});

describe("isRedirect", () => {
  it("knows the five redirect statuses and nothing else", () => {
    expect(
      [300, 301, 302, 303, 304, 305, 307, 308, 200, 404].filter((status) =>
        isRedirect(new Response(null, { status: status === 304 ? 304 : status })),
      ),
    ).toEqual([301, 302, 303, 307, 308]);
  });
});
