/**
 * A bound on how many tasks run at once: multi-blob operations must not open a connection per blob.
 * @module
 */

/** Runs a task once fewer than the limit are running; settles like the task. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/** Creates a limiter that lets `limit` tasks run at once and queues the rest, first come first served. */
export function createLimiter(limit: number): Limiter {
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new RangeError(`concurrency must be a positive integer, got ${String(limit)}`);
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    running--;
    waiting.shift()?.();
  };
  return async (task) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
