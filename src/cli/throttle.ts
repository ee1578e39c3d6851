/**
 * The CLI's answer to 429: a fetch wrapper per registry that pauses every request until a `Retry-After` has passed,
 * halves how many requests run at once on each 429 and grows it back by one per 20 answers, and sends again a
 * request the registry refused with 429 when its body can be replayed (none, or a small one such as a manifest).
 * The library retries idempotent requests itself; this also covers a mount POST or a small upload.
 * @module
 */
import type { FetchLike } from "acrkit/node";

/**
 * Bodies up to this size (manifests, small blobs) are kept to be sent again after a 429; larger ones stream through
 * unread, since reading them first would stop a copy's download from flowing into its upload.
 */
const REPLAYABLE_BODY = 256 * 1024;
/** How many times one request is sent again after 429s. */
const MAX_REPLAYS = 20;
/** The wait after a 429 without Retry-After. */
const DEFAULT_PAUSE_MS = 1000;
/** The longest Retry-After honoured here; a longer one is the registry's answer. */
const MAX_PAUSE_MS = 60_000;

/** A fetch that adapts to a registry's rate limit; `maxConcurrency` is where it starts and the most it allows. */
export function throttledFetch(base: FetchLike, maxConcurrency: number): FetchLike {
  let limit = maxConcurrency;
  let running = 0;
  let successes = 0;
  let pausedUntil = 0;
  const waiting: Array<() => void> = [];
  const wake = () => {
    while (running < limit && waiting.length > 0) {
      running++;
      waiting.shift()!();
    }
  };
  const acquire = async (signal: AbortSignal) => {
    if (running < limit && waiting.length === 0) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    const wait = pausedUntil - Date.now();
    if (wait > 0) await sleep(wait, signal);
  };
  const release = () => {
    running--;
    wake();
  };
  return async (request) => {
    const replay = await replayable(request);
    for (let attempt = 0; ; attempt++) {
      await acquire(request.signal);
      let response: Response;
      try {
        response = await base(replay ? replay() : request);
      } finally {
        release();
      }
      if (response.status !== 429) {
        if (++successes >= 20 && limit < maxConcurrency) {
          successes = 0;
          limit++;
          wake();
        }
        return response;
      }
      successes = 0;
      limit = Math.max(1, Math.floor(limit / 2));
      const pause = retryAfterMs(response.headers.get("retry-after"));
      if (pause > MAX_PAUSE_MS || !replay || attempt >= MAX_REPLAYS) return response;
      pausedUntil = Math.max(pausedUntil, Date.now() + pause);
      await response.body?.cancel();
    }
  };
}

/** A way to build the request again, or undefined when its body is a stream too large to keep. */
async function replayable(request: Request): Promise<(() => Request) | undefined> {
  if (request.body === null) return () => new Request(request);
  const length = Number(request.headers.get("content-length") ?? NaN);
  if (!(length <= REPLAYABLE_BODY)) return undefined;
  const bytes = new Uint8Array(await request.arrayBuffer());
  return () =>
    new Request(request.url, {
      method: request.method,
      headers: request.headers,
      body: bytes,
      signal: request.signal,
      redirect: request.redirect,
    });
}

function retryAfterMs(header: string | null): number {
  if (!header) return DEFAULT_PAUSE_MS;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? DEFAULT_PAUSE_MS : Math.max(0, date - Date.now());
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
