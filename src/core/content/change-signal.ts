/**
 * A wake-up for code that waits for state to change: each `changed()` resolves at the next `notify()`.
 * @module
 */

/** Waiters woken together at the next change. */
export class ChangeSignal {
  #waiters: (() => void)[] = [];

  /**
   * Resolves at the next `notify()`, or after `timeoutMs` when given, or once `signal` aborts: a wait for room ends at
   * once when its range went to another connection, whose request must not run beside this one's for long (a browser
   * allows six per origin).
   */
  changed(timeoutMs?: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(wake, timeoutMs);
      function wake() {
        clearTimeout(timer);
        signal?.removeEventListener("abort", wake);
        resolve();
      }
      signal?.addEventListener("abort", wake, { once: true });
      this.#waiters.push(wake);
    });
  }

  /** Wakes everyone waiting now. */
  notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
