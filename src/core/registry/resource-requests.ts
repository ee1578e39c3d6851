/**
 * Requests on one resource: a GET or PATCH answered with JSON, and a DELETE that tolerates absence.
 * @module
 */
import { repositoryScope } from "../auth/scope";
import { readJsonObject } from "../http/read-json";
import { discard } from "../pipeline";
import type { OperationContext, OperationOptions } from "./context";

/** One resource request: GET reads it, PATCH with a body changes it (setting flags twice is harmless, so it retries). */
export interface JsonResourceRequest extends OperationOptions {
  method: "GET" | "PATCH";
  url: URL;
  repository: string;
  body?: object;
}

/** Sends the request with the metadata scope its method needs and returns the parsed JSON object. */
export async function requestJsonResource<T extends object>(context: OperationContext, request: JsonResourceRequest): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (request.body) headers["content-type"] = "application/json";
  const response = await context.pipeline.send({
    method: request.method,
    url: request.url,
    scope: repositoryScope(request.repository, request.method === "GET" ? "metadata_read" : "metadata_write"),
    headers,
    body: request.body ? JSON.stringify(request.body) : undefined,
    idempotent: true,
    signal: request.signal,
    expect: [200],
  });
  return readJsonObject<T>(response, request.method, request.url);
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
