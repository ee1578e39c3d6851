/**
 * MSAL's errors as acrkit reads them, in MSAL-node and MSAL.js alike.
 * @module
 */

/** The fields of MSAL's `AuthError` (and its subclasses) that acrkit reports. */
export interface MsalErrorFields extends Error {
  /** MSAL's or the authority's error code, e.g. `invalid_client`, `network_error`. */
  errorCode: string;
  /** The description without the code. */
  errorMessage: string;
  /** The correlation id of the request, or an empty string. */
  correlationId: string;
  /** The HTTP status of the authority's answer (`ServerError`), when there was one. */
  status?: number;
}

/**
 * Whether an error is MSAL's `AuthError` (or a subclass). Recognised by its fields rather than with `instanceof`,
 * so that checking an error needs no MSAL loaded: a credential may fail before it could load it.
 */
export function isMsalError(err: unknown): err is MsalErrorFields {
  const fields = err as Partial<MsalErrorFields> | undefined;
  return err instanceof Error && typeof fields?.errorCode === "string" && typeof fields.errorMessage === "string";
}
