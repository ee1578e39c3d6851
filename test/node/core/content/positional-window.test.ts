/**
 * The positional window on its own, over a target in memory that counts its reads: pieces written at their offsets,
 * handed out in order from memory near the hash and read back beyond it, a lead that bounds how far ahead a piece may
 * start, and the order of two writes over the same span.
 */
import { describe, expect, it } from "vitest";
import { PositionalWindow } from "../../../../src/core/content/positional-window";
import type { RandomAccessTarget } from "../../../../src/core/content/random-access-target";

const bytes = (length: number, fill: number) => new Uint8Array(length).fill(fill);

/** A target in memory; each write waits `delays.shift()` milliseconds when given. */
function memoryTarget(size: number, delays: number[] = []) {
  const data = new Uint8Array(size);
  const reads: [number, number][] = [];
  const target: RandomAccessTarget = {
    async write(offset, piece) {
      const delay = delays.shift();
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      data.set(piece, offset);
    },
    async read(offset, length) {
      reads.push([offset, length]);
      return data.slice(offset, offset + length);
    },
  };
  return { data, reads, target };
}

async function drain(window: PositionalWindow): Promise<number[]> {
  const out: number[] = [];
  for (let piece = await window.take(); piece; piece = await window.take()) out.push(...piece);
  return out;
}

describe("PositionalWindow", () => {
  it("writes pieces put out of order at their offsets and hands them out in order", async () => {
    const { data, target } = memoryTarget(30);
    const window = new PositionalWindow(target, 30, 100, 100);
    await window.put(20, bytes(10, 3));
    await window.put(10, bytes(10, 2));
    expect(window.contiguous).toBe(0);
    expect([...data.subarray(10)]).toEqual([...bytes(10, 2), ...bytes(10, 3)]);
    await window.put(0, bytes(10, 1));
    expect(window.contiguous).toBe(30);
    expect(await drain(window)).toEqual([...bytes(10, 1), ...bytes(10, 2), ...bytes(10, 3)]);
  });

  it("hashes from memory what arrives near the hash, and reads back what arrived beyond its memory", async () => {
    const { reads, target } = memoryTarget(40);
    // 10 bytes of memory: the first piece stays there, the ones after it were written only.
    const window = new PositionalWindow(target, 40, 100, 10);
    await window.put(0, bytes(10, 1));
    await window.put(10, bytes(10, 2));
    await window.put(20, bytes(20, 3));
    expect(await drain(window)).toEqual([...bytes(10, 1), ...bytes(10, 2), ...bytes(20, 3)]);
    expect(reads).toEqual([[10, 30]]);
  });

  it("makes a piece beyond the gap wait while a lead of bytes is written beyond it, and never the front", async () => {
    const { target } = memoryTarget(60);
    const window = new PositionalWindow(target, 60, 20, 100);
    // The blob's end first, as the probe at the tail does: far from the hash, yet it goes in.
    await window.put(40, bytes(20, 4));
    let written = false;
    const waiting = window.put(30, bytes(10, 3)).then(() => (written = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(written).toBe(false);
    // The front goes in although the lead beyond the gap is used; once the gap closes and the hash takes the bytes
    // before it, the waiting piece goes in.
    await window.put(0, bytes(10, 1));
    await window.put(10, bytes(20, 2));
    expect(written).toBe(false);
    expect((await window.take())?.byteLength).toBe(10);
    expect((await window.take())?.byteLength).toBe(20);
    await waiting;
    expect(window.contiguous).toBe(60);
  });

  it("makes the front wait while the hash is a lead behind it", async () => {
    const { target } = memoryTarget(40);
    const window = new PositionalWindow(target, 40, 20, 100);
    await window.put(0, bytes(20, 1));
    let written = false;
    const waiting = window.put(20, bytes(20, 2)).then(() => (written = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(written).toBe(false);
    expect((await window.take())?.byteLength).toBe(20);
    await waiting;
    expect(window.contiguous).toBe(40);
  });

  it("a second write over a span waits for the first, so that the target keeps the last; an aborted one counts nothing", async () => {
    // The first write is slow: without the wait, it would land after the second.
    const { data, target } = memoryTarget(20, [50, 0]);
    const window = new PositionalWindow(target, 20, 100, 100);
    const controller = new AbortController();
    const slow = window.put(0, bytes(10, 7), controller.signal);
    controller.abort(new Error("taken over"));
    await window.put(0, bytes(10, 1));
    await expect(slow).rejects.toThrow("taken over");
    expect([...data.subarray(0, 10)]).toEqual([...bytes(10, 1)]);
    await window.put(10, bytes(10, 2));
    expect(await drain(window)).toEqual([...bytes(10, 1), ...bytes(10, 2)]);
  });

  it("forgets what was written beyond the contiguous front, and fails every waiter with the error", async () => {
    const { target } = memoryTarget(100);
    const window = new PositionalWindow(target, 100, 100, 100);
    await window.put(0, bytes(10, 1));
    await window.put(50, bytes(10, 2));
    window.dropBeyondContiguous();
    // The bytes at 50 no longer count: with 10 to 50 written the front is at 50, not at 60.
    await window.put(10, bytes(40, 3));
    expect(window.contiguous).toBe(50);
    await window.take();
    await window.take();
    const taking = window.take();
    window.fail(new Error("broken"));
    await expect(taking).rejects.toThrow("broken");
    await expect(window.put(50, bytes(1, 1))).rejects.toThrow("broken");
  });
});
