/**
 * Fan-out: one task per item under a concurrency limit, failing fast. Copy, purge and artifacts all need it, so the
 * rule of what happens after a failure is written once.
 * @module
 */
import { createLimiter, type Limiter } from "./limiter";

/** How a {@link fanOut} runs. */
export interface FanOutOptions {
  /** How many tasks run at once, or a limiter shared with other work (a copy's manifest reads and blob transfers). */
  limit: number | Limiter;
  /** Cancels every task. */
  signal?: AbortSignal;
}

/**
 * Runs `task` on every item, at most `limit` at once, and resolves with the results in the order of `items`. The first
 * failure aborts the signal each task was given (tasks in flight stop, tasks not started never start) and is thrown;
 * once the fan-out settles that signal is aborted too, so nothing started by a task outlives it unnoticed.
 */
export async function fanOut<T, R>(
  items: readonly T[],
  task: (item: T, signal: AbortSignal, index: number) => Promise<R>,
  options: FanOutOptions,
): Promise<R[]> {
  const limit = typeof options.limit === "number" ? createLimiter(options.limit) : options.limit;
  const failed = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, failed.signal]) : failed.signal;
  try {
    return await Promise.all(
      items.map((item, index) =>
        limit(async () => {
          signal.throwIfAborted();
          try {
            return await task(item, signal, index);
          } catch (error) {
            // Aborted before the slot is freed: the task waiting for it must see the failure and not start.
            failed.abort(error);
            throw error;
          }
        }),
      ),
    );
  } finally {
    failed.abort();
  }
}
