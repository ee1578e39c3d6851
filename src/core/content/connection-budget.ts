/**
 * The connections one client opens for transfers at once: the blobs of a copy or a pull, and the extra ranges of a
 * parallel download, draw from the same budget, so that a copy of many large layers does not open layers × ranges
 * connections.
 * @module
 */

/** A count of connections shared by a client's transfers. */
export class ConnectionBudget {
  #free: number;

  /** @param size - the most connections at once */
  constructor(readonly size: number) {
    this.#free = size;
  }

  /** Connections free now. */
  get free(): number {
    return this.#free;
  }

  /** Takes a connection if one is free now; returns its release, or undefined. */
  tryTake(): (() => void) | undefined {
    if (this.#free <= 0) return undefined;
    this.#free--;
    return this.#releaser();
  }

  /**
   * Counts a connection that is opened whether or not one is free (a blob's first read: waiting for a slot there could
   * deadlock a caller that holds several bodies unread); returns its release. Extra connections then find none free.
   */
  count(): () => void {
    this.#free--;
    return this.#releaser();
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#free++;
    };
  }
}

/** The client's connection budget, made on its first download. */
export function connectionBudgetOf(settings: { maxConnections: number; budget?: ConnectionBudget }): ConnectionBudget {
  return (settings.budget ??= new ConnectionBudget(settings.maxConnections));
}
