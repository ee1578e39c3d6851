/**
 * The fetch seam every HTTP attempt goes through.
 * @module
 */

/** A fetch function: the platform's, or an in-process handler such as the emulator's. */
export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;
