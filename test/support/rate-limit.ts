/**
 * A registry's rate limit, as a fault-proxy rule: at most `perSecond` requests in any one-second window pass; the
 * others are answered 429 with `Retry-After: 1`, as ACR does past its SKU's ReadOps/WriteOps.
 * @module
 */
import type { FaultRule } from "./fault-proxy";

/** A rule for {@link startFaultProxy} that limits every request to `perSecond` a second. */
export function rateLimitRule(perSecond: number): FaultRule {
  const passed: number[] = [];
  return {
    times: Infinity,
    when: () => {
      const now = Date.now();
      while (passed.length > 0 && passed[0]! <= now - 1000) passed.shift();
      if (passed.length < perSecond) {
        passed.push(now);
        return false;
      }
      return true;
    },
    fault: { kind: "status", status: 429, retryAfter: { seconds: 1 } },
  };
}
