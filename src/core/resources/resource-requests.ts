/**
 * Requests on one resource: a GET or PATCH of `/acr/v1` answered with JSON, and DELETEs that tolerate absence.
 * @module
 */
import { repositoryScope } from "../auth/scope";
import { MalformedResponseError } from "../errors/malformed-response-error";
import { discard } from "../http/discard";
import { readJsonObject } from "../http/read-json";
import { redactUrl } from "../redaction/redact";
import { isMissingItem, withAcrApi } from "./acr-api";
import type { OperationContext, OperationOptions } from "../operation-context";

/** One resource request: GET reads it, PATCH with a body changes it (setting flags twice is harmless, so it retries). */
export interface JsonResourceRequest extends OperationOptions {
  method: "GET" | "PATCH";
  /** The acrkit method sending it, named in the error of a registry without `/acr/v1`. */
  operation: string;
  url: URL;
  repository: string;
  body?: object;
  /** Dotted paths (e.g. `tag.digest`) the answer must hold as non-empty strings for a result to be built from it. */
  required?: readonly string[];
}

/**
 * Sends the request with the metadata scope its method needs and returns the parsed JSON object. A body that breaks
 * off is fetched again; a complete one without the `required` fields is a {@link MalformedResponseError}. On a
 * registry without `/acr/v1` it throws an `UnsupportedOperationError`.
 */
export function requestJsonResource<T extends object>(
  context: OperationContext,
  request: JsonResourceRequest,
): Promise<T> {
  return withAcrApi(context, request.operation, () => sendJsonRequest<T>(context, request));
}

function sendJsonRequest<T extends object>(context: OperationContext, request: JsonResourceRequest): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (request.body) headers["content-type"] = "application/json";
  const sent = {
    method: request.method,
    url: request.url,
    scope: repositoryScope(request.repository, request.method === "GET" ? "metadata_read" : "metadata_write"),
    headers,
    body: request.body ? JSON.stringify(request.body) : undefined,
    idempotent: true,
    signal: request.signal,
    expect: [200],
  };
  return context.pipeline.read(sent, async (response) => {
    const body = await readJsonObject<T>(response, request.method, request.url);
    const missing = request.required?.find((path) => !isNonEmptyString(valueAt(body, path)));
    if (missing === undefined) return body;
    const where = redactUrl(request.url);
    const message = `${request.method} ${where}: the registry answered ${response.status} without ${missing}`;
    throw new MalformedResponseError(
      { statusCode: response.status, method: request.method, url: where, message },
      missing,
    );
  });
}

/**
 * Deletes an `/acr/v1` resource; one that is already gone (a 404 with the registry's code for it) is not an error,
 * as in the Python library. On a registry without `/acr/v1` it throws an `UnsupportedOperationError`, or runs
 * `fallback` when the operation has an OCI equivalent.
 */
export async function deleteAcrResource(
  context: OperationContext,
  operation: string,
  url: URL,
  repository: string,
  options: OperationOptions,
  fallback?: () => Promise<void>,
): Promise<void> {
  const remove = async () => {
    try {
      await discard(await sendDelete(context, url, repository, [200, 202, 204], options));
    } catch (error) {
      if (!isMissingItem(error)) throw error;
    }
  };
  await withAcrApi(context, operation, remove, fallback);
}

/** Deletes a resource; one that is already gone is not an error, as in the Python library. */
export async function deleteResource(
  context: OperationContext,
  url: URL,
  repository: string,
  options: OperationOptions,
): Promise<void> {
  await discard(await sendDelete(context, url, repository, [200, 202, 204, 404], options));
}

function sendDelete(
  context: OperationContext,
  url: URL,
  repository: string,
  expect: readonly number[],
  options: OperationOptions,
): Promise<Response> {
  return context.pipeline.send({
    method: "DELETE",
    url,
    scope: repositoryScope(repository, "delete"),
    signal: options.signal,
    expect,
  });
}

function valueAt(body: object, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (value, key) =>
        typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined,
      body,
    );
}

function isNonEmptyString(value: unknown): boolean {
  return typeof value === "string" && value.length > 0;
}
