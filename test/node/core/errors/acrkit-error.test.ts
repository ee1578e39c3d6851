/**
 * AcrkitError is the base of every error class acrkit exports, from every entry point: one `instanceof AcrkitError`
 * catches all of them. The entry points are read from the package's export map (through jsr.json, which maps each to
 * its source), and their error classes found by walking their exports: a new entry point or class is covered unasked.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as core from "../../../../src/index";

const ROOT = join(import.meta.dirname, "../../../..");
const npmExports = Object.keys(
  (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { exports: Record<string, unknown> }).exports,
);
const jsrExports = (JSON.parse(readFileSync(join(ROOT, "jsr.json"), "utf8")) as { exports: Record<string, string> })
  .exports;

/** Exported classes that are errors (their prototype chain reaches Error). */
function errorClasses(entry: Record<string, unknown>): Array<[string, abstract new (...args: never[]) => unknown]> {
  return Object.entries(entry).filter((pair): pair is [string, abstract new (...args: never[]) => unknown] => {
    const value = pair[1];
    return typeof value === "function" && value !== core.AcrkitError && value.prototype instanceof Error;
  });
}

const ENTRIES: Record<string, Record<string, unknown>> = {};
for (const subpath of npmExports.filter((name) => name !== "./package.json")) {
  const source = jsrExports[subpath];
  if (source) ENTRIES[`acrkit${subpath.slice(1)}`] = (await import(join(ROOT, source))) as Record<string, unknown>;
}
const CLASSES = Object.entries(ENTRIES).flatMap(([entry, exports]) =>
  errorClasses(exports).map(([name, type]) => [`${entry}: ${name}`, type] as const),
);

describe("AcrkitError", () => {
  it("finds every entry point of the export map", () => {
    expect(Object.keys(ENTRIES).sort()).toEqual(["acrkit", "acrkit/browser", "acrkit/emulator", "acrkit/node"]);
  });

  it("is exported from every entry point that exports an error class", () => {
    for (const [entry, exports] of Object.entries(ENTRIES)) {
      if (errorClasses(exports).length > 0) expect(exports.AcrkitError, entry).toBe(core.AcrkitError);
    }
  });

  it("finds the error classes it must cover", () => {
    const names = CLASSES.map(([name]) => name.split(": ")[1]);
    for (const expected of [
      "RegistryError",
      "NetworkError",
      "AuthenticationError",
      "DigestValidationError",
      "UploadInterruptedError",
      "PlatformNotFoundError",
      "MalformedResponseError",
      "CredentialAuthenticationError",
      "CredentialUnavailableError",
      "AggregateAuthenticationError",
      "OciLayoutError",
      "RedirectInProgressError",
    ]) {
      expect(names).toContain(expected);
    }
  });

  it.each(CLASSES)("is the base of %s", (_name, type) => {
    expect(type.prototype).toBeInstanceOf(core.AcrkitError);
  });

  it("MalformedResponseError is a RegistryError", () => {
    expect((core as Record<string, unknown>).MalformedResponseError).toBeTypeOf("function");
    expect(
      ((core as Record<string, unknown>).MalformedResponseError as { prototype: unknown }).prototype,
    ).toBeInstanceOf(core.RegistryError);
  });
});
