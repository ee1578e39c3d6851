/**
 * Responses whose whole body a platform's fetch already holds in memory when it hands them over (acrkit/node's
 * fetch does for a small answer that came in one piece with its headers): the body watchdog has nothing to guard on
 * them, no read can stall or break, and wrapping them cost a small call a tenth of its time (bench/README, "The
 * metadata path").
 * @module
 */

const whole = new WeakSet<Response>();

/** Marks a response whose body is bytes in memory; returns it. */
export function markWholeBody(response: Response): Response {
  whole.add(response);
  return response;
}

/** Whether a platform's fetch marked the response's body as whole in memory. */
export function hasWholeBody(response: Response): boolean {
  return whole.has(response);
}
