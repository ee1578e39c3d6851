/**
 * AcrkitError is the base of every error class acrkit exports, from every entry point: one `instanceof AcrkitError`
 * catches all of them.
 */
import { describe, expect, it } from "vitest";
import * as core from "../../../../src/index";
import * as browser from "../../../../src/platform/browser/index";
import * as node from "../../../../src/platform/node/index";

/** Exported classes that are errors (their prototype chain reaches Error). */
function errorClasses(entry: Record<string, unknown>): Array<[string, abstract new (...args: never[]) => unknown]> {
  return Object.entries(entry).filter((pair): pair is [string, abstract new (...args: never[]) => unknown] => {
    const value = pair[1];
    return typeof value === "function" && value !== core.AcrkitError && value.prototype instanceof Error;
  });
}

const ENTRIES = { acrkit: core, "acrkit/node": node, "acrkit/browser": browser } as Record<string, Record<string, unknown>>;
const CLASSES = Object.entries(ENTRIES).flatMap(([entry, exports]) => errorClasses(exports).map(([name, type]) => [`${entry}: ${name}`, type] as const));

describe("AcrkitError", () => {
  it("is exported from acrkit and every entry point", () => {
    for (const exports of Object.values(ENTRIES)) expect(exports.AcrkitError).toBe(core.AcrkitError);
  });

  it("finds the error classes it must cover", () => {
    const names = CLASSES.map(([name]) => name.split(": ")[1]);
    for (const expected of ["RegistryError", "NetworkError", "AuthenticationError", "DigestValidationError", "UploadInterruptedError", "PlatformNotFoundError", "MalformedResponseError", "CredentialAuthenticationError", "CredentialUnavailableError", "AggregateAuthenticationError", "OciLayoutError", "RedirectInProgressError"]) {
      expect(names).toContain(expected);
    }
  });

  it.each(CLASSES)("is the base of %s", (_name, type) => {
    expect(type.prototype).toBeInstanceOf(core.AcrkitError);
  });

  it("MalformedResponseError is a RegistryError", () => {
    expect((core as Record<string, unknown>).MalformedResponseError).toBeTypeOf("function");
    expect(((core as Record<string, unknown>).MalformedResponseError as { prototype: unknown }).prototype).toBeInstanceOf(core.RegistryError);
  });
});
