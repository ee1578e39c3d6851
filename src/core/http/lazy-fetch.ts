/**
 * A fetch wrapper whose code is imported on its first use: the logging and Warning wrappers stay out of the code a
 * page loads up front unless its client asks for a logger or warnings.
 * @module
 */
import type { FetchLike } from "./fetch-like";

/** A fetch that waits for `loading` (a wrapper being imported) once, then calls it. */
export function lazyFetch(loading: Promise<FetchLike>): FetchLike {
  return async (input, init) => (await loading)(input, init);
}
