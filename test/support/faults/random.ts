/**
 * A small seeded PRNG, so that every injected fault (which request, which byte) replays from its seed.
 * @module
 */

/** A deterministic source of numbers in [0, 1) and integers, from a 32-bit seed (mulberry32). */
export class SeededRandom {
  #state: number;

  constructor(readonly seed: number) {
    this.#state = seed >>> 0;
  }

  /** The next number in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * Math.max(0, max - min));
  }

  /** `count` distinct sorted integers in [min, max), e.g. reset points spread over a transfer. */
  distinct(count: number, min: number, max: number): number[] {
    const picked = new Set<number>();
    while (picked.size < Math.min(count, max - min)) picked.add(this.int(min, max));
    return [...picked].sort((a, b) => a - b);
  }
}

/** The seed of a run: `FAULT_SEED` from the environment (to replay a failure), else a fixed default. */
export function runSeed(fallback = 0x5eed): number {
  const fromEnv = Number(process.env.FAULT_SEED);
  return Number.isSafeInteger(fromEnv) ? fromEnv : fallback;
}
