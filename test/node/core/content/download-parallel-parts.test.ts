/**
 * The parts of a parallel download on their own: the reorder window, the range scheduler, the connection growth and
 * the client's connection budget.
 */
import { describe, expect, it } from "vitest";
import { ConnectionBudget } from "../../../../src/core/content/connection-budget";
import { ConnectionGrowth } from "../../../../src/core/content/connection-growth";
import { RangeScheduler } from "../../../../src/core/content/range-scheduler";
import { ReorderWindow } from "../../../../src/core/content/reorder-window";

const bytes = (length: number, fill: number) => new Uint8Array(length).fill(fill);

describe("ReorderWindow", () => {
  it("hands out pieces put out of order in order, and ends at the size", async () => {
    const window = new ReorderWindow(30, 100, 100);
    await window.put(20, bytes(10, 3));
    await window.put(10, bytes(10, 2));
    await window.put(0, bytes(10, 1));
    const out: number[] = [];
    for (let piece = await window.take(); piece; piece = await window.take()) out.push(...piece);
    expect(out).toEqual([...bytes(10, 1), ...bytes(10, 2), ...bytes(10, 3)]);
    expect(window.heldBytes).toBe(0);
  });

  it("makes a piece beyond the front wait while the capacity is held, and never the front itself", async () => {
    const window = new ReorderWindow(40, 10, 100);
    await window.put(10, bytes(10, 2));
    let later = false;
    const waiting = window.put(20, bytes(10, 3)).then(() => (later = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(later).toBe(false);
    // The front goes in although the window is full; then nothing is held beyond the front, and the waiting piece
    // (now continuing the front) goes in too.
    await window.put(0, bytes(10, 1));
    await waiting;
    expect(later).toBe(true);
    expect(window.contiguous).toBe(30);
  });

  it("a put whose signal is aborted while it waits holds nothing: its range went to another connection", async () => {
    const window = new ReorderWindow(40, 10, 100);
    await window.put(10, bytes(10, 2));
    const controller = new AbortController();
    const waiting = window.put(20, bytes(10, 9), controller.signal);
    controller.abort(new Error("taken over"));
    await window.put(0, bytes(5, 1));
    await expect(waiting).rejects.toThrow("taken over");
    expect(window.heldBytes).toBe(15);
  });

  it("drops what is held beyond the contiguous front, and fails every waiter with the error", async () => {
    const window = new ReorderWindow(100, 100, 100);
    await window.put(0, bytes(10, 1));
    await window.put(50, bytes(10, 2));
    window.dropBeyondContiguous();
    expect(window.heldBytes).toBe(10);
    await window.take();
    const taking = window.take();
    window.fail(new Error("broken"));
    await expect(taking).rejects.toThrow("broken");
  });
});

describe("RangeScheduler", () => {
  it("claims the tail ahead when two chunks lie before it, and then hands out in order only up to it", () => {
    const scheduler = new RangeScheduler(100, 30);
    expect(scheduler.claim(100)).toEqual({ start: 0, end: 30 });
    expect(scheduler.claimTail()).toEqual({ start: 70, end: 100 });
    expect(scheduler.claimTail()).toBeUndefined();
    expect(scheduler.claim(100, true)).toEqual({ start: 30, end: 70 });
    expect(scheduler.exhausted).toBe(true);
  });

  it("hands out chunks in order up to the limit, ranges given back first, and everything left as one range when asked", () => {
    const scheduler = new RangeScheduler(100, 30);
    expect(scheduler.claim(100)).toEqual({ start: 0, end: 30 });
    expect(scheduler.claim(100)).toEqual({ start: 30, end: 60 });
    expect(scheduler.claim(50)).toBeUndefined();
    scheduler.giveBack({ start: 40, end: 60 });
    expect(scheduler.claim(0)).toEqual({ start: 40, end: 60 });
    expect(scheduler.claim(100, true)).toEqual({ start: 60, end: 100 });
    expect(scheduler.exhausted).toBe(true);
  });

  it("extends a range that ends at the first unclaimed byte, and no other", () => {
    const scheduler = new RangeScheduler(100, 30);
    const first = scheduler.claim(100)!;
    expect(scheduler.extend(first)).toBe(true);
    expect(first).toEqual({ start: 0, end: 60 });
    const second = scheduler.claim(100)!;
    expect(scheduler.extend(first)).toBe(false);
    expect(scheduler.extend(second, true)).toBe(true);
    expect(second).toEqual({ start: 60, end: 100 });
  });
});

describe("ConnectionGrowth", () => {
  /** The first connection alone at `bytesPerMs` for 1 s; returns the target after it. */
  function alone(growth: ConnectionGrowth, bytesPerMs: number) {
    for (let ms = 100; ms <= 1000; ms += 100) growth.alone(bytesPerMs * 100, 0, ms);
    return growth.target;
  }

  /** A range at the current count that began at `at` and lasted 500 ms while the download received `bytesPerMs`. */
  function range(growth: ConnectionGrowth, at: number, bytesPerMs: number) {
    growth.rangeDone(bytesPerMs * 500, at, at + 500);
    return growth.target;
  }

  it("doubles the connections while the total keeps pace with them, and steps back once two ranges find it does not", () => {
    // 12.5 kB/ms per connection under 50 kB/ms in total.
    const growth = new ConnectionGrowth(6, 1000);
    expect(alone(growth, 12.5)).toBe(2);
    expect(range(growth, 1000, 25)).toBe(4);
    expect(range(growth, 2000, 48)).toBe(6);
    expect(range(growth, 3000, 50)).toBe(6);
    expect(range(growth, 3100, 50)).toBe(5);
    expect(growth.frozen).toBe(true);
  });

  it("a link one connection fills: one probe, then one connection for good", () => {
    const growth = new ConnectionGrowth(6, 1000);
    expect(alone(growth, 50)).toBe(2);
    expect(range(growth, 1000, 50)).toBe(2);
    expect(range(growth, 1100, 51)).toBe(1);
    expect(growth.frozen).toBe(true);
  });

  it("is undecided between a slow range and the verdict (new ranges then come from the tail)", () => {
    const growth = new ConnectionGrowth(6, 1000);
    expect(alone(growth, 50)).toBe(2);
    expect(growth.undecided).toBe(false);
    range(growth, 1000, 50);
    expect(growth.undecided).toBe(true);
    range(growth, 1100, 50);
    expect(growth.undecided).toBe(false);
    expect(growth.target).toBe(1);
  });

  it("does not probe after a first connection faster than any per-flow cap of object storage (loopback)", () => {
    const growth = new ConnectionGrowth(6, 1000);
    // 500 MB/s: bytes per millisecond.
    expect(alone(growth, 500_000)).toBe(1);
    expect(growth.frozen).toBe(true);
  });

  it("ignores a range that began before the count changed, and stops at the maximum", () => {
    const growth = new ConnectionGrowth(2, 1000);
    expect(alone(growth, 10)).toBe(2);
    expect(range(growth, 500, 1)).toBe(2);
    expect(range(growth, 1000, 20)).toBe(2);
    expect(growth.frozen).toBe(true);
  });
});

describe("ConnectionBudget", () => {
  it("hands out at most its size, counts first connections even beyond it, and a release counts once", () => {
    const budget = new ConnectionBudget(2);
    const first = budget.tryTake()!;
    const counted = budget.count();
    expect(budget.tryTake()).toBeUndefined();
    const beyond = budget.count();
    expect(budget.free).toBe(-1);
    first();
    first();
    expect(budget.free).toBe(0);
    expect(budget.tryTake()).toBeUndefined();
    counted();
    beyond();
    expect(budget.free).toBe(2);
  });
});
