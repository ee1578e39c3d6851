/**
 * The platform default fetch (default-fetch.ts) as the Transport calls it: unwrapped, with the URL and an init, so no
 * Request is built for an attempt; behind the logging wrapper, with a Request and the init it came from; never when
 * the caller passes `fetch`; and the runtime's own fetch once the default is reset.
 */
import { afterEach, describe, expect, it } from "vitest";
import { getDefaultFetch, setDefaultFetch, type PlatformFetch } from "../../../../src/core/http/default-fetch";
import { Transport } from "../../../../src/core/http/transport";

afterEach(() => setDefaultFetch(undefined));

/** A default fetch that records how it was called and answers 200 itself. */
function recordingDefault(): { calls: { input: string; init: RequestInit | undefined }[]; fetch: PlatformFetch } {
  const calls: { input: string; init: RequestInit | undefined }[] = [];
  return {
    calls,
    fetch: async (input, init) => {
      calls.push({ input: input instanceof Request ? "Request" : input instanceof URL ? "URL" : typeof input, init });
      return new Response("ok");
    },
  };
}

describe("the platform default fetch", () => {
  it("is called with the URL and an init, the body as given and its Content-Length known", async () => {
    const recorded = recordingDefault();
    setDefaultFetch(recorded.fetch);
    const body = new Uint8Array([1, 2, 3]);
    const response = await new Transport().send({ method: "PUT", url: new URL("http://127.0.0.1:1/x"), body });
    expect(await response.text()).toBe("ok");
    expect(recorded.calls).toHaveLength(1);
    expect(recorded.calls[0]!.input).toBe("URL");
    expect(recorded.calls[0]!.init).toMatchObject({ method: "PUT", body, redirect: "manual" });
  });

  it("behind a logger gets the Request alone, as a caller's fetch does (the page budget keeps one way to call a wrapped fetch)", async () => {
    const recorded = recordingDefault();
    setDefaultFetch(recorded.fetch);
    const lines: number[] = [];
    const transport = new Transport({ logger: (entry) => lines.push(entry.status) });
    await transport.send({ method: "POST", url: new URL("http://127.0.0.1:1/y"), body: "form" });
    expect(recorded.calls[0]!.input).toBe("Request");
    expect(recorded.calls[0]!.init).toBeUndefined();
    expect(lines).toEqual([200]);
  });

  it("is not called when the caller passes fetch, which gets a Request alone", async () => {
    const recorded = recordingDefault();
    setDefaultFetch(recorded.fetch);
    const given: unknown[][] = [];
    const transport = new Transport({ fetch: async (...args) => (given.push(args), new Response("mine")) });
    const response = await transport.send({ method: "GET", url: new URL("http://127.0.0.1:1/z") });
    expect(await response.text()).toBe("mine");
    expect(recorded.calls).toEqual([]);
    expect(given).toHaveLength(1);
    expect(given[0]![0]).toBeInstanceOf(Request);
    expect(given[0]![1]).toBeUndefined();
  });

  it("when none is installed, the runtime's fetch behind a logger gets the Request alone, as before", async () => {
    const original = globalThis.fetch;
    const given: unknown[][] = [];
    globalThis.fetch = (async (...args: unknown[]) => (given.push(args), new Response("global"))) as typeof fetch;
    try {
      await new Transport({ logger: () => undefined }).send({ method: "GET", url: new URL("http://127.0.0.1:1/") });
    } finally {
      globalThis.fetch = original;
    }
    expect(given).toHaveLength(1);
    expect(given[0]![0]).toBeInstanceOf(Request);
    expect(given[0]![1]).toBeUndefined();
  });

  it("is the runtime's fetch again after a reset, looked up when called", async () => {
    const recorded = recordingDefault();
    setDefaultFetch(recorded.fetch);
    setDefaultFetch(undefined);
    const original = globalThis.fetch;
    globalThis.fetch = (async () => new Response("global")) as typeof fetch;
    try {
      expect(await (await getDefaultFetch()(new URL("http://127.0.0.1:1/"))).text()).toBe("global");
    } finally {
      globalThis.fetch = original;
    }
    expect(recorded.calls).toEqual([]);
  });
});
