/**
 * Turns a failed response into a typed error: {@link RegistryError}, or {@link AuthenticationError} for a refusal.
 * @module
 */
import { AuthenticationError } from "../errors/authentication-error";
import { RegistryError, type RegistryErrorDetail } from "../errors/registry-error";
import { OciErrorCode } from "../errors/oci-error-codes";
import { readUpTo, type BoundedBody } from "./read-body";
import { redactDeep, redactUrl, secretQueryValues } from "../redaction/redact";
import type { SecretStore } from "./secret-store";
import { parseJsonObject } from "../utils/json-object";

/** How much of a non-JSON error body is kept for the error message. */
const SNIPPET_LENGTH = 200;
/** Error bodies larger than this are not read: a hostile server must not make us buffer megabytes. */
const MAX_ERROR_BODY = 64 * 1024;

/** What a failed response says, read once and redacted: the registry's error entries or the start of its body. */
interface ErrorAnswer {
  details: RegistryErrorDetail[];
  requestId: string | undefined;
  bodySnippet: string | undefined;
}

/** Reads the response's error body (bounded) and builds the RegistryError for it, without any secret `secrets` holds. */
export async function toRegistryError(
  response: Response,
  method: string,
  url: string | URL,
  secrets?: SecretStore,
): Promise<RegistryError> {
  return new RegistryError({
    statusCode: response.status,
    method,
    url: redactUrl(url),
    ...(await readErrorAnswer(response, secrets)),
  });
}

/** Reads a 401 or 403 and builds the AuthenticationError for it: the status and the server's code are kept. */
export async function toAuthenticationError(
  response: Response,
  method: string,
  url: string | URL,
  scope: string | undefined,
  problem: string,
  secrets?: SecretStore,
): Promise<AuthenticationError> {
  const answer = await readErrorAnswer(response, secrets);
  const first = answer.details[0];
  const said = first ? `${first.code}${first.message ? `: ${first.message}` : ""}` : answer.bodySnippet;
  const where = redactUrl(url);
  return new AuthenticationError(
    `${method} ${where}: ${problem} (${response.status}${said ? `, ${said}` : ""})`,
    scope,
    {
      statusCode: response.status,
      code: first?.code,
      method,
      url: where,
    },
  );
}

async function readErrorAnswer(response: Response, secrets: SecretStore | undefined): Promise<ErrorAnswer> {
  // The status alone is the answer when its body breaks off: an error body is worth no retry.
  const body = await readUpTo(response, MAX_ERROR_BODY).catch(() => undefined);
  const text = body === undefined ? "" : readableText(body);
  // A storage service may quote the signature of the (redirected) URL it refused; nothing of it may reach the error.
  const known = [...secretQueryValues(response.url), ...(secrets?.values() ?? [])];
  if (text === undefined)
    return { details: [], requestId: requestIdOf(response, known), bodySnippet: binarySummary(response, body!, known) };
  const details = parseErrorBody(text, known);
  return {
    details,
    requestId: requestIdOf(response, known),
    bodySnippet: details.length === 0 && text ? snippet(text, known) : undefined,
  };
}

/** The service's request id, redacted. */
function requestIdOf(response: Response, secrets: readonly string[]): string | undefined {
  const requestId =
    response.headers.get("x-ms-request-id") ??
    response.headers.get("x-ms-correlation-request-id") ??
    response.headers.get("x-request-id") ??
    undefined;
  return requestId === undefined ? undefined : (redactDeep(requestId, secrets) as string);
}

/** Characters that text has not: C0 controls but tab, line feed, form feed and carriage return; DEL. */
// oxlint-disable-next-line no-control-regex -- matching control characters is the point: they tell bytes from text
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/;

/**
 * The body as text, or undefined when it is not text (a control character, or more than a tenth of it not UTF-8):
 * its bytes would only garble a message. A Latin-1 error page still reads, its accents replaced.
 */
function readableText({ bytes }: BoundedBody): string | undefined {
  const text = new TextDecoder().decode(bytes);
  if (CONTROL.test(text)) return undefined;
  const replaced = text.length - text.replaceAll("\uFFFD", "").length;
  return replaced * 10 > text.length ? undefined : text;
}

/** What stands for a body that is not text: its media type and its length, never its bytes. */
function binarySummary(response: Response, body: BoundedBody, secrets: readonly string[]): string {
  const given = response.headers.get("content-type")?.split(";")[0]?.trim();
  const type = given ? (redactDeep(given, secrets) as string).slice(0, 100) : "no Content-Type";
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  const length =
    Number.isSafeInteger(declared) && declared >= 0 ? declared : body.complete ? body.bytes.byteLength : undefined;
  return `a body that is not text (${type}, ${length === undefined ? `over ${MAX_ERROR_BODY}` : length} bytes)`;
}

/**
 * Parses `{"errors":[{code,message,detail}]}`; anything else gives no details. Messages and every string in `detail`
 * are redacted (a server may echo a credential back), `secrets` too wherever they appear.
 */
export function parseErrorBody(text: string, secrets: readonly string[] = []): RegistryErrorDetail[] {
  const errors = parseJsonObject(text)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors
    .filter((entry): entry is Record<string, unknown> => typeof entry === "object" && entry !== null)
    .map((entry) => ({
      code: typeof entry.code === "string" ? (redactDeep(entry.code, secrets) as string) : OciErrorCode.UNKNOWN,
      message: typeof entry.message === "string" ? (redactDeep(entry.message, secrets) as string) : undefined,
      detail: redactDeep(entry.detail, secrets),
    }));
}

/**
 * The start of a text body that is not an error document, redacted whole before it is cut, so no part of a secret
 * stays (a body that is not text never gets here: readErrorAnswer summarizes it).
 */
function snippet(text: string, secrets: readonly string[]): string {
  // An HTML error page reads better without its markup.
  const flat = (redactDeep(text, secrets) as string)
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return flat.length > SNIPPET_LENGTH ? `${flat.slice(0, SNIPPET_LENGTH)}…` : flat;
}
