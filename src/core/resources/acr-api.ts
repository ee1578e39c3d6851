/**
 * Whether the registry has ACR's `/acr/v1` API, decided once per client from the first answer to an `/acr/v1`
 * request, and the fallback to the OCI `/v2` API where one exists.
 *
 * How the first answer decides:
 * - a 2xx with a JSON object: the API is there;
 * - a 404 (or 405, 501) with a registry error code for a missing item (`NAME_UNKNOWN`, `TAG_UNKNOWN`,
 *   `MANIFEST_UNKNOWN`, `BLOB_UNKNOWN`): the API is there and the item is not;
 * - any other 404, 405 or 501 (docker-registry, Zot: a plain-text `404 page not found`): the API is not there;
 * - no answer at all, while the `/v2` fallback answers: the API is not there (a browser cannot read the 404 of a
 *   registry that sends CORS headers only on its own routes, as docker-registry does);
 * - anything else (401, 403, 5xx, a 200 that is not the JSON asked for) decides nothing: the error is thrown and the
 *   next request asks again.
 * @module
 */
import { NetworkError } from "../errors/network-error";
import { RegistryError } from "../errors/registry-error";
import { OciErrorCode } from "../errors/oci-error-codes";
import { UnsupportedOperationError } from "../errors/unsupported-operation-error";
import type { OperationContext } from "../operation-context";

/** The error codes with which a registry that serves a route says the item asked for is missing. */
const MISSING_ITEM_CODES = [
  OciErrorCode.NAME_UNKNOWN,
  OciErrorCode.TAG_UNKNOWN,
  OciErrorCode.MANIFEST_UNKNOWN,
  OciErrorCode.BLOB_UNKNOWN,
];
const ABSENT_ROUTE_STATUSES = new Set([404, 405, 501]);

/** What a failed `/acr/v1` request says about the API: there, not there, or nothing. */
export type AcrApiVerdict = "present" | "absent" | "unknown";

/** Reads what a failed `/acr/v1` request says about whether the registry has the API. */
export function acrApiVerdict(error: unknown): AcrApiVerdict {
  if (!(error instanceof RegistryError)) return "unknown";
  if (!ABSENT_ROUTE_STATUSES.has(error.statusCode)) return "unknown";
  return error.hasCode(...MISSING_ITEM_CODES) ? "present" : "absent";
}

/** Whether an error is a registry's answer that the item asked for is missing (a 404 with its code). */
export function isMissingItem(error: unknown): boolean {
  return error instanceof RegistryError && error.statusCode === 404 && acrApiVerdict(error) === "present";
}

/** The error for an ACR-only operation on a registry without `/acr/v1`. */
export function noAcrApi(context: OperationContext, operation: string, cause?: unknown): UnsupportedOperationError {
  return new UnsupportedOperationError(
    operation,
    context.loginServer,
    "has no ACR /acr/v1 metadata API (it is not Azure Container Registry)",
    {
      cause,
    },
  );
}

/**
 * Runs `acr` (an `/acr/v1` request) where the registry has the API, else `fallback` (the same over `/v2`), else
 * throws {@link UnsupportedOperationError}. Until the client knows, `acr` runs first and its answer decides.
 */
export async function withAcrApi<T>(
  context: OperationContext,
  operation: string,
  acr: () => Promise<T>,
  fallback?: () => Promise<T>,
): Promise<T> {
  const capabilities = context.capabilities;
  if (capabilities.acrApi === false) {
    if (fallback) return fallback();
    throw noAcrApi(context, operation);
  }
  if (capabilities.acrApi === true) return acr();
  try {
    const result = await acr();
    capabilities.acrApi = true;
    return result;
  } catch (error) {
    const verdict = acrApiVerdict(error);
    if (verdict === "present") capabilities.acrApi = true;
    if (verdict === "absent") {
      capabilities.acrApi = false;
      if (fallback) return fallback();
      throw noAcrApi(context, operation, error);
    }
    if (verdict === "unknown" && fallback && error instanceof NetworkError && error.reason === "connection") {
      return fallbackAfterNoAnswer(context, fallback, error);
    }
    throw error;
  }
}

/** Tries the fallback after `/acr/v1` got no answer: when `/v2` answers, even with an error, there is no `/acr/v1`. */
async function fallbackAfterNoAnswer<T>(
  context: OperationContext,
  fallback: () => Promise<T>,
  first: NetworkError,
): Promise<T> {
  try {
    const result = await fallback();
    context.capabilities.acrApi = false;
    return result;
  } catch (error) {
    // No answer from /v2 either: the registry is unreachable, and the first failure is the one to report.
    if (error instanceof NetworkError) throw first;
    context.capabilities.acrApi = false;
    throw error;
  }
}
