/**
 * `acrkit/emulator`: a local, in-memory, ACR-compatible registry.
 *
 * It speaks /v2 (OCI distribution 1.1), /acr/v1, /oauth2/exchange and /oauth2/token with ACR's challenges,
 * error bodies, paging and changeableAttributes rules. The handler is Web-standard (Request → Response);
 * only {@link Emulator.listen} uses Node's HTTP(S) server. Registry profiles ({@link RegistryProfile}) make it answer
 * like another registry (GHCR, ECR, Docker Hub, GAR, Quay, Harbor, GitLab, Gitea, Artifactory, Nexus, zot,
 * distribution) with the behaviours clients meet there.
 * @module
 */
import { authKindOf } from "./auth";
import type { Endpoint, Environment, ResolvedOptions } from "./context";
import { applyCors, isPreflight, preflight } from "./cors";
import { SERVED_METHODS, badRequest, errorResponse, methodNotImplemented } from "./errors";
import { BodyTooLargeError } from "./http";
import { listen } from "./listen";
import { profileNamed } from "./profiles/index";
import { checkedRate, RateWindow } from "./rate-window";
import { csrfRefusal, setSessionCookies } from "./csrf";
import { dispatch } from "./router";
import { acrV1Endpoints } from "./routes/acr-v1";
import { exchangeEndpoints, tokenEndpoints } from "./routes/oauth2";
import { referrersEndpoints } from "./routes/referrers";
import { v2BaseEndpoints } from "./routes/v2-base";
import { v2BlobEndpoints } from "./routes/v2-blobs";
import { v2CatalogTagEndpoints } from "./routes/v2-catalog-tags";
import { v2ManifestEndpoints } from "./routes/v2-manifests";
import { v2UploadEndpoints } from "./routes/v2-uploads";
import { seedBlob, seedImage, seedIndex, seedManifest, seedRepositories, setAttributes } from "./seed";
import { Registry } from "./state";
import { BlobStorage } from "./storage";
import { createInstantClock } from "./time";
import { RequestAbortedError } from "./request-aborted-error";
import { TokenAuthority } from "./tokens";
import type { Emulator, EmulatorOptions } from "./types";

export type * from "./types";

/** The OCI endpoints; order matters where patterns overlap (uploads before blobs, reserved segments before names). */
const OCI_ENDPOINTS: readonly Endpoint[] = [
  ...tokenEndpoints,
  ...v2BaseEndpoints,
  ...v2CatalogTagEndpoints,
  ...v2ManifestEndpoints,
  ...v2UploadEndpoints,
  ...v2BlobEndpoints,
  ...referrersEndpoints,
];

/** Every endpoint of ACR: the OCI ones, `/oauth2/exchange` and `/acr/v1`. */
const ACR_ENDPOINTS: readonly Endpoint[] = [...exchangeEndpoints, ...OCI_ENDPOINTS, ...acrV1Endpoints];

function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  const profile = profileNamed(options.profile);
  return {
    loginServer: options.loginServer,
    users: options.users ?? {},
    anonymousPull: options.anonymousPull ?? false,
    authRequired: options.authRequired ?? true,
    accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 3600,
    refreshTokenLifetimeSeconds: options.refreshTokenLifetimeSeconds ?? 3 * 3600,
    validateAadToken: options.validateAadToken ?? ((token) => token.length > 0),
    cors: options.cors ?? false,
    blobRedirect: options.redirectBlobs ? { get: true, head: false, headAllowed: true } : profile.answers.blobRedirect,
    defaultPageSize: options.defaultPageSize ?? 100,
    profile,
    rateLimit: checkedRate(options.rateLimit?.perSecond),
    onError: options.onError,
  };
}

/**
 * Creates an in-memory ACR-compatible registry.
 *
 * Use {@link Emulator.fetch} in-process (e.g. as a client's `fetch`) or {@link Emulator.listen} for real HTTP.
 * `options.profile` makes it answer like another registry (see {@link RegistryProfile}); an unknown profile name
 * throws a TypeError, and `options.rateLimit` a RangeError when it is not at least 1 a second.
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const clock = options.clock ?? Date.now;
  const now = createInstantClock(clock);
  const env: Environment = {
    options: resolveOptions(options),
    registry: new Registry(now),
    uploads: new Map(),
    tokens: new TokenAuthority(() => Math.floor(clock() / 1000)),
    storage: new BlobStorage(clock),
    now,
    clock,
    requests: [],
  };
  const { requests } = env;
  const { profile } = env.options;
  const endpoints = profile.endpoints.acrApi ? ACR_ENDPOINTS : OCI_ENDPOINTS;
  const rate = env.options.rateLimit === undefined ? undefined : new RateWindow(env.options.rateLimit, clock);

  /** The 429 of the rate limit, for a request the profile counts (never a token request). */
  function rateRefusal(request: Request, url: URL): Response | undefined {
    if (!rate || !url.pathname.startsWith("/v2/") || !profile.answers.rateCounted(request.method, url.pathname))
      return undefined;
    return rate.admit();
  }

  async function route(request: Request, url: URL): Promise<Response> {
    if (!SERVED_METHODS.has(request.method)) return methodNotImplemented(request.method);
    // Storage answers preflights too: Firefox preflights the read a 307 sends there (content.browser.test.ts).
    if (isPreflight(request, env.options.cors)) return preflight(request);
    if (env.storage.owns(url)) return env.storage.handle(request, url);
    const refused = rateRefusal(request, url) ?? (profile.auth.csrfCookies ? csrfRefusal(request, url) : undefined);
    return refused ?? (await dispatch(env, endpoints, request, url));
  }

  /** Never throws: whatever a handler throws becomes an error answer (500 only for the emulator's own faults). */
  async function handle(request: Request, url: URL): Promise<Response> {
    try {
      return await route(request, url);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return errorResponse(413, "SIZE_INVALID", error.message);
      if (error instanceof RequestAbortedError) return badRequest(error.message);
      env.options.onError?.(error);
      return errorResponse(500, "UNKNOWN", error instanceof Error ? error.message : String(error));
    }
  }

  const emulator: Emulator = {
    async fetch(request) {
      const url = new URL(request.url);
      let response = await handle(request, url);
      if (request.method === "HEAD" && response.body) {
        await response.body.cancel();
        response = new Response(null, { status: response.status, headers: response.headers });
      }
      response.headers.set("Docker-Distribution-Api-Version", "registry/2.0");
      if (profile.auth.csrfCookies && !env.storage.owns(url)) setSessionCookies(response);
      applyCors(request, response, env.options.cors);
      requests.push({
        method: request.method,
        path: url.pathname + url.search,
        status: response.status,
        auth: authKindOf(request),
        origin: env.storage.owns(url) ? "storage" : "registry",
        time: clock(),
      });
      return response;
    },
    listen: (listenOptions) => listen(emulator, env, listenOptions),
    requests,
    clearRequests: () => void requests.splice(0),
    seedBlob: async (repository, data) => (await seedBlob(env, repository, data)).digest,
    seedManifest: (seed) => seedManifest(env, seed),
    seedImage: (seed) => seedImage(env, seed),
    seedIndex: (seed) => seedIndex(env, seed),
    seedRepositories: (count, seed) => seedRepositories(env, count, seed),
    setAttributes: (target, attributes) => setAttributes(env, target, attributes),
  };
  return emulator;
}
