/**
 * A page's fetch that counts the ranged reads it sends: how many, their statuses, and the most in flight at once
 * (from sending to the end of the body: read to the last byte, cancelled or broken). For the parallel download's
 * test (parallel-download.browser.test.ts) and bench (bench/browser-parallel.ts).
 * @module
 */

/** What {@link rangedReads} saw since its last reset. */
export interface RangedReads {
  /** The statuses of the ranged reads, in the order their answers came. */
  statuses: number[];
  mostInFlight: number;
  /** Forgets what was counted. */
  reset(): void;
  /** The fetch to give the client. */
  fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
}

/** A counting fetch over the page's own. */
export function rangedReads(): RangedReads {
  let inFlight = 0;
  const reads: RangedReads = {
    statuses: [],
    mostInFlight: 0,
    reset: () => {
      reads.statuses = [];
      reads.mostInFlight = inFlight;
    },
    fetch: async (input, init) => {
      const request = new Request(input, init);
      if (!request.headers.has("range")) return fetch(request);
      reads.mostInFlight = Math.max(reads.mostInFlight, ++inFlight);
      let open = true;
      const ended = () => void (open && ((open = false), inFlight--));
      const response = await fetch(request).catch((error: unknown) => (ended(), Promise.reject(error)));
      reads.statuses.push(response.status);
      const reader = response.body!.getReader();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { done, value } = await reader.read().catch((error: unknown) => (ended(), Promise.reject(error)));
          if (done) {
            ended();
            controller.close();
          } else controller.enqueue(value);
        },
        cancel: (reason) => (ended(), reader.cancel(reason)),
      });
      return new Response(body, response);
    },
  };
  return reads;
}
