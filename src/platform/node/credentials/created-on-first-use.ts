/**
 * A value made by an asynchronous factory on first use, such as an MSAL application once MSAL is loaded.
 * @module
 */

/**
 * Returns a function that calls `create` once and hands out its result from then on; a failed `create` is not
 * kept, so the next call tries again (a certificate file that appears later, a package installed since).
 */
export function createdOnFirstUse<T>(create: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= create().catch((err: unknown) => {
      pending = undefined;
      throw err;
    });
    return pending;
  };
}
