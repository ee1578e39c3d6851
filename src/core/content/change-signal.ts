/**
 * A wake-up for code that waits for state to change: each `changed()` resolves at the next `notify()`.
 * @module
 */

/** Waiters woken together at the next change. */
export class ChangeSignal {
  #waiters: (() => void)[] = [];

  /** Resolves at the next `notify()`, or after `timeoutMs` when given. */
  changed(timeoutMs?: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(resolve, timeoutMs);
      this.#waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Wakes everyone waiting now. */
  notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
