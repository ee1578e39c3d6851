/**
 * fanOut, the one fan-out of copy, purge and artifacts: a concurrency bound, results in order, and fail-fast (the
 * first failure aborts the tasks in flight, and the tasks not started never start).
 */
import { describe, expect, it } from "vitest";
import { fanOut } from "../../../../src/core/utils/fan-out";
import { createLimiter } from "../../../../src/core/utils/limiter";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

/** A task that waits until its signal aborts, and rejects with the signal's reason. */
const untilAborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => {
    signal.throwIfAborted();
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });

describe("fanOut", () => {
  it("keeps at most `limit` tasks running and gives the results in the order of the items", async () => {
    let running = 0;
    let most = 0;
    const results = await fanOut(
      [5, 1, 4, 2, 3, 0, 6],
      async (item, _signal, index) => {
        running++;
        most = Math.max(most, running);
        for (let wait = 0; wait < item; wait++) await tick();
        running--;
        return `${index}:${item}`;
      },
      { limit: 3 },
    );
    expect(results).toEqual(["0:5", "1:1", "2:4", "3:2", "4:3", "5:0", "6:6"]);
    expect(most).toBe(3);
  });

  it("throws the first failure, aborts the tasks in flight with it, and never starts the rest", async () => {
    const started: number[] = [];
    const abortReasons: unknown[] = [];
    const failure = new Error("item 1 failed");
    const run = fanOut(
      [0, 1, 2, 3, 4, 5],
      async (item, signal) => {
        started.push(item);
        if (item === 1) {
          await tick();
          throw failure;
        }
        try {
          return await untilAborted(signal);
        } catch (error) {
          abortReasons.push(error);
          throw error;
        }
      },
      { limit: 3 },
    );
    await expect(run).rejects.toBe(failure);
    await tick();
    expect(started).toEqual([0, 1, 2]);
    expect(abortReasons).toEqual([failure, failure]);
  });

  it("stops on the caller's signal with its reason", async () => {
    const caller = new AbortController();
    const reason = new Error("caller gave up");
    const started: number[] = [];
    const run = fanOut(
      [0, 1, 2, 3],
      (item, signal) => {
        started.push(item);
        return untilAborted(signal);
      },
      { limit: 2, signal: caller.signal },
    );
    await tick();
    caller.abort(reason);
    await expect(run).rejects.toBe(reason);
    expect(started).toEqual([0, 1]);
  });

  it("shares a limiter with other work: the bound holds across both", async () => {
    const limit = createLimiter(2);
    let running = 0;
    let most = 0;
    const work = async () => {
      running++;
      most = Math.max(most, running);
      await tick();
      running--;
    };
    await Promise.all([fanOut([1, 2, 3], work, { limit }), fanOut([4, 5, 6], work, { limit }), limit(work)]);
    expect(most).toBe(2);
  });

  it("aborts the signal it gave the tasks once it settles", async () => {
    let given: AbortSignal | undefined;
    await fanOut(
      [1],
      async (_item, signal) => {
        given = signal;
      },
      { limit: 1 },
    );
    expect(given?.aborted).toBe(true);
  });

  it("resolves an empty list with no results", async () => {
    expect(await fanOut([], () => Promise.reject(new Error("never called")), { limit: 1 })).toEqual([]);
  });
});
