/**
 * Requests on one resource: a GET or PATCH answered with JSON, and a DELETE that tolerates absence.
 * @module
 */
import { repositoryScope } from "../auth/scope";
import { MalformedResponseError } from "../errors/malformed-response-error";
import { discard } from "../http/discard";
import { readJsonObject } from "../http/read-json";
import { redactUrl } from "../http/redact";
import type { OperationContext, OperationOptions } from "./context";

/** One resource request: GET reads it, PATCH with a body changes it (setting flags twice is harmless, so it retries). */
export interface JsonResourceRequest extends OperationOptions {
  method: "GET" | "PATCH";
  url: URL;
  repository: string;
  body?: object;
  /** Dotted paths (e.g. `tag.digest`) the answer must hold as non-empty strings for a result to be built from it. */
  required?: readonly string[];
}

/**
 * Sends the request with the metadata scope its method needs and returns the parsed JSON object. A body that breaks
 * off is fetched again; a complete one without the `required` fields is a {@link MalformedResponseError}.
 */
export function requestJsonResource<T extends object>(context: OperationContext, request: JsonResourceRequest): Promise<T> {
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
    throw new MalformedResponseError({ statusCode: response.status, method: request.method, url: where, message }, missing);
  });
}

/** Deletes a resource; one that is already gone is not an error, as in the Python library. */
export async function deleteResource(context: OperationContext, url: URL, repository: string, options: OperationOptions): Promise<void> {
  const response = await context.pipeline.send({
    method: "DELETE",
    url,
    scope: repositoryScope(repository, "delete"),
    signal: options.signal,
    expect: [200, 202, 204, 404],
  });
  await discard(response);
}

function valueAt(body: object, path: string): unknown {
  return path.split(".").reduce<unknown>((value, key) => (typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined), body);
}

function isNonEmptyString(value: unknown): boolean {
  return typeof value === "string" && value.length > 0;
}
