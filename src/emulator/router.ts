/**
 * Matches a request to an endpoint, authenticates it and checks its access before the handler runs.
 * @module
 */
import { isRepositoryName } from "../core/grammar/reference";
import { authenticate, authorize } from "./auth";
import type { Context, Endpoint, Environment } from "./context";
import { badRequest, errorResponse, methodNotAllowed, nameInvalid } from "./errors";

/**
 * URL-decodes every capture. ACR is addressed with literal slashes in names (`/acr/v1/team/app/_tags`), but the Azure
 * SDKs encode them (`team%2Fapp`), and both reach the same repository.
 */
function decodeParams(groups: Record<string, string | undefined>): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  try {
    for (const [key, value] of Object.entries(groups)) {
      if (value !== undefined) params[key] = decodeURIComponent(value);
    }
  } catch {
    return undefined;
  }
  return params;
}

/** The methods an endpoint answers: its own, HEAD wherever GET is served, OPTIONS when CORS preflights are on. */
function allowedMethods(env: Environment, endpoint: Endpoint): string[] {
  const methods = Object.keys(endpoint.methods);
  if (endpoint.methods.GET) methods.push("HEAD");
  if (env.options.cors) methods.push("OPTIONS");
  return methods;
}

/** Routes one registry request through the endpoint table. */
export async function dispatch(
  env: Environment,
  endpoints: readonly Endpoint[],
  request: Request,
  url: URL,
): Promise<Response> {
  for (const endpoint of endpoints) {
    const match = endpoint.pattern.exec(url.pathname);
    if (!match) continue;
    const operation =
      endpoint.methods[request.method] ?? (request.method === "HEAD" ? endpoint.methods.GET : undefined);
    if (!operation) return methodNotAllowed(request.method, allowedMethods(env, endpoint));
    const params = decodeParams(match.groups ?? {});
    if (!params) return badRequest("malformed percent-encoding in the path");
    if (params.name !== undefined && !isRepositoryName(params.name)) return nameInvalid(params.name);
    const service = env.options.loginServer ?? url.host;
    const auth = await authenticate(request, env, service);
    const ctx: Context = { env, request, url, params, service, auth };
    return authorize(ctx, operation.access(ctx)) ?? (await operation.handle(ctx));
  }
  return errorResponse(404, "NOT_FOUND", `no endpoint serves ${url.pathname}`);
}
