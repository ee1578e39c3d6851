/**
 * SingleFlightCache on its own: one load for concurrent misses, values served until their refresh time, failures
 * not cached, and invalidation that spares a value already replaced.
 */
import { describe, expect, it } from "vitest";
import { SingleFlightCache } from "../../../../src/core/auth/token-cache";

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

describe("SingleFlightCache", () => {
  it("shares one load among concurrent misses of a key, and loads other keys apart", async () => {
    const cache = new SingleFlightCache<string>(() => 0);
    const pending = deferred<{ value: string; refreshAt: number }>();
    let loads = 0;
    const load = () => {
      loads++;
      return pending.promise;
    };
    const waiting = [
      cache.get("repository:a:pull", load),
      cache.get("repository:a:pull", load),
      cache.get("repository:a:pull", load),
    ];
    const other = cache.get("repository:b:pull", async () => ({ value: "token-b", refreshAt: 10 }));
    pending.resolve({ value: "token-a", refreshAt: 10 });
    expect(await Promise.all(waiting)).toEqual(["token-a", "token-a", "token-a"]);
    expect(await other).toBe("token-b");
    expect(loads).toBe(1);
  });

  it("serves a value until its refresh time, then loads again", async () => {
    let now = 0;
    const cache = new SingleFlightCache<string>(() => now);
    let loads = 0;
    const load = async () => ({ value: `token-${++loads}`, refreshAt: 100 });
    expect(await cache.get("k", load)).toBe("token-1");
    now = 99;
    expect(cache.peek("k")).toBe("token-1");
    expect(await cache.get("k", load)).toBe("token-1");
    now = 100;
    expect(cache.peek("k")).toBeUndefined();
    expect(await cache.get("k", load)).toBe("token-2");
  });

  it("does not cache a failed load: every waiter gets the failure, the next call loads again", async () => {
    const cache = new SingleFlightCache<string>(() => 0);
    const failure = new Error("token service down");
    const pending = deferred<{ value: string; refreshAt: number }>();
    const waiting = [cache.get("k", () => pending.promise), cache.get("k", () => pending.promise)];
    pending.reject(failure);
    for (const result of await Promise.allSettled(waiting))
      expect(result).toEqual({ status: "rejected", reason: failure });
    expect(await cache.get("k", async () => ({ value: "fresh", refreshAt: 10 }))).toBe("fresh");
  });

  it("invalidates the value the server refused, but not a newer one that replaced it", async () => {
    const cache = new SingleFlightCache<string>(() => 0);
    await cache.get("k", async () => ({ value: "old", refreshAt: 10 }));
    cache.invalidate("k", "older-still");
    expect(cache.peek("k")).toBe("old");
    cache.invalidate("k", "old");
    expect(cache.peek("k")).toBeUndefined();
    await cache.get("k", async () => ({ value: "new", refreshAt: 10 }));
    cache.invalidate("k");
    expect(cache.peek("k")).toBeUndefined();
  });
});
