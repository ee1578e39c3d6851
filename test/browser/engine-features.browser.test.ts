/**
 * What differs between the engines CI runs, and what acrkit does about it (README, Compatibility): request streams
 * (Chromium only; a File is uploaded from Blob slices in every engine), and the Web Worker hasher taking a large upload's hashing off the main thread, long tasks recorded where the engine
 * reports them (Chromium; 50 ms budget measured in npm run bench, browser-engines).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
// As a page imports it: its default hasher is the Web Worker one.
import "../../src/platform/browser/index";
import { adminClient, engine, randomBytes, servers, uniqueRepository } from "./support/in-browser";

const MiB = 1024 * 1024;
const { emulator } = servers();

/** What each engine CI runs offers (README, Compatibility). */
const OFFERS = {
  chromium: { requestStreams: true, longTasks: true },
  firefox: { requestStreams: false, longTasks: false },
  webkit: { requestStreams: false, longTasks: false },
};
const offers = OFFERS[engine()];

/** The standard detection of request streams: a stream body is taken (not stringified) and `duplex` is read. */
function hasRequestStreams(): boolean {
  let duplexRead = false;
  const request = new Request("http://127.0.0.1/", {
    method: "POST",
    body: new ReadableStream(),
    get duplex() {
      duplexRead = true;
      return "half";
    },
  } as RequestInit);
  return duplexRead && !request.headers.has("content-type");
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe(`${engine()}'s features`, () => {
  it(`${offers.requestStreams ? "has" : "has no"} request streams, and reports long tasks ${offers.longTasks ? "" : "not at all"}`, () => {
    expect(hasRequestStreams()).toBe(offers.requestStreams);
    expect(PerformanceObserver.supportedEntryTypes.includes("longtask")).toBe(offers.longTasks);
  });

  it("uploads a 64 MiB File, hashed on the Web Worker", async () => {
    // Every worker acrkit starts, and what it said.
    const said = { ready: 0, returned: 0 };
    const PageWorker = Worker;
    vi.stubGlobal(
      "Worker",
      class extends PageWorker {
        constructor(url: string | URL, options?: WorkerOptions) {
          super(url, options);
          this.addEventListener("message", (event: MessageEvent<{ type: string }>) => {
            if (event.data.type === "ready") said.ready++;
            if (event.data.type === "returned") said.returned++;
          });
        }
      },
    );
    const bodies: string[] = [];
    const recording = (input: RequestInfo | URL, init?: RequestInit) => {
      // By method: Firefox's Request has no `body` to look at.
      if (input instanceof Request && (input.method === "PATCH" || input.method === "PUT")) bodies.push(input.method);
      return fetch(input, init);
    };
    const file = new File([randomBytes(64 * MiB)], "large.bin");
    const longTasks: number[] = [];
    const observer = offers.longTasks
      ? new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((entry) => entry.duration)))
      : undefined;
    observer?.observe({ type: "longtask" });
    const { digest } = await adminClient(emulator, { fetch: recording }).uploadBlob(
      uniqueRepository("browser/engines"),
      file,
    );
    observer?.disconnect();
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(bodies.length).toBeGreaterThan(0);
    expect(said.ready).toBeGreaterThan(0);
    // Most of the 64 one-MiB batches went through the worker (the first few MiB are hashed while it starts).
    expect(said.returned).toBeGreaterThan(32);
    console.info(
      `${engine()}: ${bodies.length} PATCH/PUT requests; long tasks ${offers.longTasks ? `${longTasks.length}, longest ${Math.max(0, ...longTasks).toFixed(0)} ms` : "not reported"}`,
    );
  });
});
