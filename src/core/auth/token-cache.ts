/**
 * A cache of expiring values with single-flight loading: concurrent misses for one key share one load.
 * @module
 */

interface Entry<T> {
  value: T;
  /** When the value stops being served, in milliseconds since the epoch. */
  refreshAt: number;
}

/** A loaded value and the time from which it must be loaded again. */
export interface Expiring<T> {
  value: T;
  refreshAt: number;
}

/** Caches values by key until their refresh time; loads each missing key once however many callers wait for it. */
export class SingleFlightCache<T> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #loading = new Map<string, Promise<T>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The cached value, if present and fresh. */
  peek(key: string): T | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.refreshAt > this.now()) return entry.value;
    if (entry) this.#entries.delete(key);
    return undefined;
  }

  /** The cached value, or the result of one shared call to `load`. */
  get(key: string, load: () => Promise<Expiring<T>>): Promise<T> {
    const cached = this.peek(key);
    if (cached !== undefined) return Promise.resolve(cached);
    const pending = this.#loading.get(key);
    if (pending) return pending;
    const loading = load()
      .then((loaded) => {
        this.#entries.set(key, loaded);
        return loaded.value;
      })
      .finally(() => this.#loading.delete(key));
    this.#loading.set(key, loading);
    return loading;
  }

  /** Drops a value the server refused, unless it was already replaced by a newer one. */
  invalidate(key: string, value?: T): void {
    const entry = this.#entries.get(key);
    if (entry && (value === undefined || entry.value === value)) this.#entries.delete(key);
  }
}
