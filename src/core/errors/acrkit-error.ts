/**
 * The base of every error acrkit throws, and where secrets leave an error: when it is built.
 * @module
 */
import { redactText } from "../redaction/redact";

/** How deep a cause chain is copied; a longer (or cyclic) chain is cut there. */
const MAX_CAUSE_DEPTH = 8;

/**
 * The base class of every acrkit error: `instanceof AcrkitError` catches all of them.
 *
 * Its message is redacted when the error is built, and its `cause` chain is copied into plain errors that hold only
 * a name, a redacted message and the next cause: no `Request`, `Response` or `Headers` (which carry `Authorization`)
 * and no third-party error that holds one survives into what `console.error` or `util.inspect` prints.
 */
export class AcrkitError extends Error {
  /** The error's class name; subclasses set their own. For logs and checks where `instanceof` does not work. */
  override readonly name: string = "AcrkitError";

  /**
   * @param message - what failed; redacted here
   * @param options - the underlying error as `cause`; copied, redacted, into plain errors
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(redactText(message), options?.cause === undefined ? undefined : { cause: sanitizeCause(options.cause) });
  }
}

/**
 * A copy of an error chain that is safe to print: acrkit's own errors stay as they are (they were redacted when
 * built), anything else becomes a plain `Error` with its name and redacted message, and so on down the chain.
 */
export function sanitizeCause(cause: unknown, depth = 0): unknown {
  if (cause instanceof AcrkitError) return cause;
  if (depth >= MAX_CAUSE_DEPTH) return undefined;
  if (cause instanceof Error || (typeof cause === "object" && cause !== null && "message" in cause)) {
    const source = cause as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown };
    const next =
      source.cause === undefined || source.cause === cause ? undefined : sanitizeCause(source.cause, depth + 1);
    const copy = new Error(redactText(String(source.message)), next === undefined ? undefined : { cause: next });
    copy.name = typeof source.name === "string" ? source.name : "Error";
    // Node's network errors say what failed in `code` (ECONNRESET, UND_ERR_SOCKET); keep that, it holds no secret.
    if (typeof source.code === "string") Object.defineProperty(copy, "code", { value: source.code, enumerable: true });
    copy.stack = `${copy.name}: ${copy.message}`;
    return copy;
  }
  if (typeof cause === "string") return redactText(cause);
  // Numbers, booleans and the like are harmless; any other object (a Response, say) is not copied at all.
  return typeof cause === "object" || typeof cause === "function" ? undefined : cause;
}
