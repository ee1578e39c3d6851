/**
 * Exit codes of `acrkit`, and the error class → code mapping: scripts tell "not found" from "failed" by the code,
 * never by grepping a message.
 * @module
 */

/** The exit codes, as `acrkit --help` documents them. */
export const ExitCode = {
  ok: 0,
  other: 1,
  usage: 2,
  notFound: 3,
  authentication: 4,
  forbidden: 5,
  rateLimited: 6,
  verification: 7,
  partial: 8,
  interrupted: 130,
} as const;

/** The kind of each code, as `-o json` errors name it. */
const KINDS: Record<number, string> = {
  1: "Error",
  2: "Usage",
  3: "NotFound",
  4: "Authentication",
  5: "Forbidden",
  6: "RateLimited",
  7: "VerificationFailed",
  8: "PartialFailure",
  130: "Interrupted",
};

/** A bad command line, found before any request: exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** What a command looked for is not there (a tag, a digest, a layout image): exit 3. */
export class NotFoundError extends Error {
  override readonly name = "NotFoundError";
}

/** A manifest or tag is locked (`canDelete`/`canWrite` false) or the command refuses for safety: exit 5. */
export class LockedError extends Error {
  override readonly name = "LockedError";
}

/** Some items of a batch failed with `--keep-going`: exit 8. */
export class PartialFailureError extends Error {
  override readonly name = "PartialFailureError";
  /** @param failed - how many items failed */
  constructor(
    message: string,
    readonly failed: number,
  ) {
    super(message);
  }
}

/** What an error says about itself, read by name and fields so that it works across bundles. */
interface ErrorShape {
  name?: string;
  statusCode?: number;
  code?: string;
  errors?: unknown[];
}

/** The exit code of an error. */
export function exitCodeOf(error: unknown): number {
  const shape = (typeof error === "object" && error !== null ? error : {}) as ErrorShape;
  switch (shape.name) {
    case "UsageError":
    case "TypeError":
    case "RangeError":
      return ExitCode.usage;
    case "NotFoundError":
    case "PlatformNotFoundError":
      return ExitCode.notFound;
    case "LockedError":
      return ExitCode.forbidden;
    case "PartialFailureError":
      return ExitCode.partial;
    case "AbortError":
    case "InterruptedError":
      return ExitCode.interrupted;
    case "DigestValidationError":
    case "HashingError":
    case "InvalidArtifactError":
      return ExitCode.verification;
    case "AuthenticationError":
    case "CredentialAuthenticationError":
    case "CredentialUnavailableError":
    case "AggregateAuthenticationError":
      return shape.statusCode === 403 ? ExitCode.forbidden : ExitCode.authentication;
    case "RegistryError":
      return statusExitCode(shape.statusCode, shape.code);
    default:
      return ExitCode.other;
  }
}

function statusExitCode(status: number | undefined, code: string | undefined): number {
  if (status === 404) return ExitCode.notFound;
  if (status === 401) return ExitCode.authentication;
  // ACR answers a write to a locked manifest or tag with 405 and a lock message; a denied scope is 403.
  if (status === 403 || (status === 405 && code !== "UNSUPPORTED")) return ExitCode.forbidden;
  if (status === 429) return ExitCode.rateLimited;
  return ExitCode.other;
}

/** The `kind` of an exit code in `-o json` errors. */
export function kindOf(code: number): string {
  return KINDS[code] ?? "Error";
}
