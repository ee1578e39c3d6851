/**
 * How the first answer to an /acr/v1 request decides whether a registry has the API (a pure classification of
 * errors; the registries themselves are exercised in any-registry.test.ts).
 */
import { describe, expect, it } from "vitest";
import { NetworkError, RegistryError } from "../../../../src/index";
import { acrApiVerdict, isMissingItem } from "../../../../src/core/resources/acr-api";
import { referrersApiVerdict } from "../../../../src/core/content/referrers";

const answer = (statusCode: number, ...codes: string[]) =>
  new RegistryError({
    statusCode,
    method: "GET",
    url: "http://127.0.0.1:5000/acr/v1/_catalog",
    details: codes.map((code) => ({ code })),
  });

describe("acrApiVerdict", () => {
  it.each([
    [answer(404, "NAME_UNKNOWN"), "present"],
    [answer(404, "TAG_UNKNOWN"), "present"],
    [answer(404, "MANIFEST_UNKNOWN"), "present"],
    [answer(404), "absent"],
    [answer(404, "NOT_FOUND"), "absent"],
    [answer(405, "UNSUPPORTED"), "absent"],
    [answer(501), "absent"],
    [answer(200), "unknown"],
    [answer(401, "UNAUTHORIZED"), "unknown"],
    [answer(403, "DENIED"), "unknown"],
    [answer(503), "unknown"],
    [new NetworkError("connection", "GET", "http://127.0.0.1:5000/acr/v1/_catalog"), "unknown"],
    [new TypeError("not an answer"), "unknown"],
  ] as const)("reads %s as %s", (error, verdict) => {
    expect(acrApiVerdict(error)).toBe(verdict);
  });

  it("tells a missing item of a registry with the API from a missing route", () => {
    expect(isMissingItem(answer(404, "TAG_UNKNOWN"))).toBe(true);
    expect(isMissingItem(answer(404))).toBe(false);
    expect(isMissingItem(answer(405, "NAME_UNKNOWN"))).toBe(false);
  });

  it("reads every entry of the error body, not the first alone", () => {
    expect(acrApiVerdict(answer(404, "UNKNOWN", "MANIFEST_UNKNOWN"))).toBe("present");
    expect(isMissingItem(answer(404, "DENIED", "NAME_UNKNOWN"))).toBe(true);
    expect(acrApiVerdict(answer(404, "UNKNOWN", "NOT_FOUND"))).toBe("absent");
  });
});

describe("referrersApiVerdict", () => {
  it.each([
    [answer(404), "absent"],
    [answer(404, "MANIFEST_UNKNOWN"), "absent"],
    [answer(404, "NAME_UNKNOWN"), "not-decided"],
    [new NetworkError("connection", "GET", "http://127.0.0.1:5000/v2/a/referrers/x"), "not-decided"],
    [new NetworkError("timeout", "GET", "http://127.0.0.1:5000/v2/a/referrers/x"), "unknown"],
    [answer(400, "DIGEST_INVALID"), "unknown"],
    [answer(500), "unknown"],
    [answer(404, "UNKNOWN", "NAME_UNKNOWN"), "not-decided"],
  ] as const)("reads %s as %s", (error, verdict) => {
    expect(referrersApiVerdict(error)).toBe(verdict);
  });
});
