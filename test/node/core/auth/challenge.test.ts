import { describe, expect, it } from "vitest";
import { findChallenge, parseChallenges } from "../../../../src/core/auth/challenge";

describe("parseChallenges", () => {
  it("reads ACR's Bearer challenge", () => {
    const header =
      'Bearer realm="https://r.azurecr.io/oauth2/token",service="r.azurecr.io",scope="repository:team/app:pull,push"';
    expect(parseChallenges(header)).toEqual([
      {
        scheme: "bearer",
        params: {
          realm: "https://r.azurecr.io/oauth2/token",
          service: "r.azurecr.io",
          scope: "repository:team/app:pull,push",
        },
      },
    ]);
  });

  it("tolerates spaces, case and unquoted values", () => {
    const [challenge] = parseChallenges('  BEARER   Realm = "https://x/token" ,  Service=x.io ,scope="a b"');
    expect(challenge).toEqual({
      scheme: "bearer",
      params: { realm: "https://x/token", service: "x.io", scope: "a b" },
    });
  });

  it("keeps commas, spaces and escaped quotes inside quoted values", () => {
    const [challenge] = parseChallenges(
      'Bearer scope="repository:a:pull,push repository:b:pull",error="say \\"hi\\", ok"',
    );
    expect(challenge!.params.scope).toBe("repository:a:pull,push repository:b:pull");
    expect(challenge!.params.error).toBe('say "hi", ok');
  });

  it("splits several challenges in one header", () => {
    const challenges = parseChallenges('Basic realm="reg", Bearer realm="https://t/token",service="t"');
    expect(challenges.map((c) => c.scheme)).toEqual(["basic", "bearer"]);
    expect(findChallenge('Basic realm="reg", Bearer realm="https://t/token"', "bearer")?.params.realm).toBe(
      "https://t/token",
    );
  });

  it("reads a scheme with no parameters and an unterminated quote", () => {
    expect(parseChallenges("Negotiate")).toEqual([{ scheme: "negotiate", params: {} }]);
    expect(parseChallenges('Bearer realm="https://x')[0]!.params.realm).toBe("https://x");
  });

  it.each([null, undefined, "", ",,,", "=", '"'])("returns nothing useful for %j without throwing", (header) => {
    expect(() => parseChallenges(header)).not.toThrow();
    expect(parseChallenges(header).every((c) => Object.keys(c.params).length === 0)).toBe(true);
  });
});
