/**
 * The Warning header: the parser (unit), and onWarning with a real registry that sends one (docker-registry
 * 2.8.2 configured with a `Warning` header on every response).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContainerRegistryClient, type RegistryWarning, type RequestLogEntry } from "../../../../src/index";
import { parseWarningHeader } from "../../../../src/core/http/warning";
import { startDockerRegistry, type RunningDockerRegistry } from "../../../support/docker-registry";

describe("parseWarningHeader", () => {
  it("reads OCI's form: code 299, agent -, a quoted text", () => {
    expect(parseWarningHeader('299 - "Your auth token will expire in 30 seconds."')).toEqual([
      { code: 299, agent: "-", text: "Your auth token will expire in 30 seconds." },
    ]);
  });

  it("reads several warnings, escaped quotes, commas inside the text and a date", () => {
    expect(
      parseWarningHeader(
        '299 - "first, with a comma", 110 cache.example:8080 "say \\"stale\\"" "Sat, 25 Aug 2012 23:34:45 GMT",299 - "third"',
      ),
    ).toEqual([
      { code: 299, agent: "-", text: "first, with a comma" },
      { code: 110, agent: "cache.example:8080", text: 'say "stale"', date: "Sat, 25 Aug 2012 23:34:45 GMT" },
      { code: 299, agent: "-", text: "third" },
    ]);
  });

  it.each([[null], [""], ["299"], ["299 -"], ['99 - "two digits"'], ["299 - unquoted text"], ['abc - "not a code"']])(
    "finds no warning in %j and never throws",
    (header) => {
      expect(parseWarningHeader(header)).toEqual([]);
    },
  );

  it("skips a malformed entry and keeps the good ones around it", () => {
    expect(parseWarningHeader('nonsense, 299 - "kept", 299 - "unterminated')).toEqual([
      { code: 299, agent: "-", text: "kept" },
      { code: 299, agent: "-", text: "unterminated" },
    ]);
  });
});

describe("onWarning with a registry that sends Warning headers", () => {
  let registry: RunningDockerRegistry;
  beforeAll(async () => {
    registry = await startDockerRegistry({
      headers: { Warning: ['299 - "this registry is deprecated"', '299 - "mind the quota"'] },
    });
  });
  afterAll(() => registry?.stop());

  it("hands each distinct 299 warning to onWarning once, with the request it came with", async () => {
    const warnings: RegistryWarning[] = [];
    const client = new ContainerRegistryClient(registry.url, undefined, {
      onWarning: (warning) => warnings.push(warning),
    });
    const digest = (await client.uploadBlob("warned/app", "some bytes")).digest;
    expect(await client.blobExists("warned/app", digest)).toBe(true);
    expect(warnings.map((warning) => warning.text).sort()).toEqual(["mind the quota", "this registry is deprecated"]);
    expect(warnings[0]).toMatchObject({
      code: 299,
      agent: "-",
      method: expect.any(String),
      status: expect.any(Number),
    });
    expect(warnings[0]!.url.startsWith(registry.url)).toBe(true);
  });

  it("puts the Warning header values of each response into its logger line", async () => {
    const lines: RequestLogEntry[] = [];
    const client = new ContainerRegistryClient(registry.url, undefined, { logger: (entry) => lines.push(entry) });
    await client.uploadBlob("warned/app", "logged bytes");
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines)
      expect(line.warnings?.join(", ")).toBe('299 - "this registry is deprecated", 299 - "mind the quota"');
  });

  it("keeps going when onWarning throws, and refuses an onWarning that is not a function", async () => {
    const client = new ContainerRegistryClient(registry.url, undefined, {
      onWarning: () => {
        throw new Error("a broken handler");
      },
    });
    expect((await client.uploadBlob("warned/app", "more bytes")).size).toBe(10);
    expect(() => new ContainerRegistryClient(registry.url, undefined, { onWarning: "log" as never })).toThrow(
      /onWarning must be a function, got "log"/,
    );
  });
});
