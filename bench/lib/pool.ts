/**
 * A bounded pool for many-blob transfers, and a counter of transfers in flight that proves the bound.
 * @module
 */

/** Runs `work` on every item with at most `limit` running at once; rejects on the first failure. */
export async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}

/** Counts HTTP transfers from request start until the response (an upload) or its body (a download) is done. */
export class InFlight {
  current = 0;
  peak = 0;

  /** Marks a transfer started; returns the function that marks it done (safe to call twice). */
  begin(): () => void {
    this.current++;
    this.peak = Math.max(this.peak, this.current);
    let ended = false;
    return () => {
      if (!ended) this.current--;
      ended = true;
    };
  }

  /** Wraps a response so that the transfer ends when its body is read to the end or cancelled. */
  trackBody(response: Response, end: () => void): Response {
    if (!response.body) {
      end();
      return response;
    }
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          try {
            const next = await reader.read();
            if (next.done) {
              end();
              controller.close();
            } else controller.enqueue(next.value);
          } catch (error) {
            end();
            controller.error(error);
          }
        },
        cancel(reason) {
          end();
          return reader.cancel(reason);
        },
      },
      { highWaterMark: 0 },
    );
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  }
}
