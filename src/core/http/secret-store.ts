/**
 * The secrets one client holds, so that any server text that echoes one can have it removed.
 * @module
 */

/** Shorter values are not treated as secrets: removing them from text would remove ordinary words. */
const MIN_SECRET_LENGTH = 6;
/** Tokens come and go; the newest ones are kept (a client holds a few per scope at a time). */
const MAX_SECRETS = 256;

/**
 * The passwords and tokens a client knows (its Basic password, the refresh and access tokens it obtained), newest
 * last. response-error.ts removes them from every server text it builds an error from, so a server that echoes a
 * credential back in an error message or a JSON body cannot make it reach an error, a log or a console.
 */
export class SecretStore {
  readonly #values = new Set<string>();

  /** Remembers a secret; empty and very short values are ignored. */
  add(value: string | undefined): void {
    if (!value || value.length < MIN_SECRET_LENGTH) return;
    this.#values.delete(value);
    this.#values.add(value);
    if (this.#values.size > MAX_SECRETS) this.#values.delete(this.#values.values().next().value!);
  }

  /** The secrets held, longest first (so that a secret containing another is removed whole). */
  values(): string[] {
    return [...this.#values].sort((a, b) => b.length - a.length);
  }
}
