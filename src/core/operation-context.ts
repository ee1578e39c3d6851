/**
 * What every operation needs: the pipeline to send requests and the registry's base URL.
 * @module
 */
import type { Pipeline } from "./auth/pipeline";
import type { RegistryCapabilities } from "./capabilities";

/** Shared state of one client that operations read. */
export interface OperationContext {
  pipeline: Pipeline;
  /** The registry's base URL, e.g. `https://myregistry.azurecr.io/`. */
  endpoint: URL;
  /** The login server host, e.g. `myregistry.azurecr.io`. */
  loginServer: string;
  /** What the client has learned about the registry's APIs; each is decided once, from the first answer. */
  capabilities: RegistryCapabilities;
  /** How many requests multi-request operations (digests of a tag page, purge) send at once. */
  concurrency: number;
}

/** Options every operation takes. */
export interface OperationOptions {
  /** Cancels the operation. */
  signal?: AbortSignal;
}

/** Builds a URL under the registry's base URL; `path` starts with `/` and holds validated names only. */
export function registryUrl(
  context: OperationContext,
  path: string,
  query?: Record<string, string | number | undefined>,
): URL {
  const base = context.endpoint.pathname.replace(/\/+$/, "");
  const url = new URL(context.endpoint.origin + base + path);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url;
}

/** Resolves a paging link; a link to another origin is refused, since the request would carry our token. */
export function resolvePageLink(context: OperationContext, link: string): URL {
  const url = new URL(link, context.endpoint);
  if (url.origin !== context.endpoint.origin) {
    throw new TypeError(`Refusing a paging link to another origin (${url.origin})`);
  }
  return url;
}

/** The context the model mappers need. */
export function mappingContext(context: OperationContext, repository: string) {
  return { registryLoginServer: context.loginServer, repositoryName: repository };
}
