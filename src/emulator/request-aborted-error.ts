/**
 * The error a request body stream fails with when the client goes away before sending all of it.
 * @module
 */

/** The client closed the connection before the request body was complete. */
export class RequestAbortedError extends Error {
  /** @param received how many body bytes had arrived when the connection closed */
  constructor(readonly received: number) {
    super(`the client closed the connection after ${received} bytes of the request body`);
    this.name = "RequestAbortedError";
  }
}
