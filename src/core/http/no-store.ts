/**
 * The `cache: "no-store"` member of every request, where the runtime takes it. A registry client must never be
 * answered from a browser's HTTP cache: a tag moves or is deleted between two reads (Firefox ESR answered a GET of a
 * manifest deleted a moment before from its cache: test/browser/content.browser.test.ts, "reads a tag again"), and a
 * ranged blob read served from the cache measures nothing about the link (the parallel download's growth). Browsers,
 * Node's undici, Deno and Bun take it; a runtime that throws on the member (Cloudflare Workers did) gets none.
 * @module
 */

let init: { cache?: RequestCache } | undefined;

/** `{ cache: "no-store" }` where `new Request` accepts it, else an empty init: checked once per runtime. */
export function noStoreInit(): { cache?: RequestCache } {
  if (init === undefined) {
    try {
      init = new Request("http://127.0.0.1/", { cache: "no-store" }).cache === "no-store" ? { cache: "no-store" } : {};
    } catch {
      init = {};
    }
  }
  return init;
}
