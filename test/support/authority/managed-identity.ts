/**
 * A local managed identity endpoint issuing tokens signed by a {@link LocalAuthority}, in both shapes MSAL speaks:
 * App Service / Functions / Container Apps (`IDENTITY_ENDPOINT` + `IDENTITY_HEADER`, api-version 2019-08-01) and
 * IMDS (what `AZURE_POD_IDENTITY_AUTHORITY_HOST` points at instead of 169.254.169.254). Plain HTTP on loopback,
 * as both real endpoints are.
 * @module
 */
import { randomBytes, randomUUID } from "node:crypto";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { resolveScopes } from "./apps";
import { type LoggedRequest, sendJson } from "./http-util";
import type { LocalAuthority } from "./server";

/** A managed identity: the ids by which a request may select it. */
export interface ManagedIdentity {
  clientId: string;
  objectId: string;
  resourceId: string;
}

/** How the endpoint behaves. */
export type ManagedIdentityMode =
  /** Issue tokens. */
  | "ok"
  /** Answer 400 "Identity not found", as IMDS does on a VM without an identity. */
  | "no-identity";

/** A running managed identity endpoint. */
export interface ManagedIdentityEndpoint {
  /** The App Service style URL: the value of `IDENTITY_ENDPOINT`. */
  readonly identityEndpoint: string;
  /** The secret App Service puts in `IDENTITY_HEADER`; requests must echo it in `X-IDENTITY-HEADER`. */
  readonly identityHeader: string;
  /** The IMDS base URL: the value of `AZURE_POD_IDENTITY_AUTHORITY_HOST`. */
  readonly imdsHost: string;
  /** The system-assigned identity, used when a request names none. */
  readonly systemAssigned: ManagedIdentity;
  /** A user-assigned identity, selected by client id, object id or resource id. */
  readonly userAssigned: ManagedIdentity;
  /** Every request, oldest first. */
  readonly requests: LoggedRequest[];
  mode: ManagedIdentityMode;
  close(): Promise<void>;
}

function identity(name: string): ManagedIdentity {
  return {
    clientId: randomUUID(),
    objectId: randomUUID(),
    resourceId: `/subscriptions/${randomUUID()}/resourceGroups/acrkit-test/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`,
  };
}

/** Starts a managed identity endpoint on 127.0.0.1, on an ephemeral port unless `port` is given. */
export async function startManagedIdentityEndpoint(
  authority: LocalAuthority,
  options: { mode?: ManagedIdentityMode; port?: number } = {},
): Promise<ManagedIdentityEndpoint> {
  const requests: LoggedRequest[] = [];
  const systemAssigned = identity("system");
  const userAssigned = identity("acrkit-user-assigned");
  const identityHeader = randomBytes(16).toString("hex");
  const server = createServer();

  const select = (q: URLSearchParams, resourceIdParam: string): ManagedIdentity | undefined => {
    const byClient = q.get("client_id");
    const byObject = q.get("object_id") ?? q.get("principal_id");
    const byResource = q.get(resourceIdParam);
    if (byClient === null && byObject === null && byResource === null) return systemAssigned;
    const match =
      byClient === userAssigned.clientId ||
      byObject === userAssigned.objectId ||
      byResource === userAssigned.resourceId;
    return match ? userAssigned : undefined;
  };

  const issue = (res: ServerResponse, q: URLSearchParams, who: ManagedIdentity | undefined, imds: boolean) => {
    const resource = q.get("resource");
    if (!resource)
      return sendJson(res, 400, {
        error: "invalid_request",
        error_description: "Required query variable 'resource' is missing",
      });
    if (!who || endpoint.mode === "no-identity") {
      return sendJson(res, 400, { error: "invalid_request", error_description: "Identity not found" });
    }
    const audience =
      resolveScopes(resource.includes("/.default") ? resource : `${resource}/.default`).audience ?? resource;
    const issued = authority.issueAccessToken({
      audience,
      clientId: who.clientId,
      objectId: who.objectId,
      roles: ["AcrPull", "AcrPush"],
    });
    const base = {
      access_token: issued.token,
      expires_on: String(issued.expiresOn),
      resource,
      token_type: "Bearer",
      client_id: who.clientId,
    };
    sendJson(
      res,
      200,
      imds
        ? {
            ...base,
            expires_in: String(issued.expiresIn),
            ext_expires_in: String(issued.expiresIn),
            not_before: String(issued.expiresOn - issued.expiresIn),
            refresh_token: "",
          }
        : base,
    );
  };

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const q = url.searchParams;
    // MSAL canonicalizes endpoint URLs with a trailing slash.
    const path = url.pathname.replace(/\/+$/, "");
    const log: LoggedRequest = {
      time: Date.now(),
      method: req.method ?? "GET",
      path: url.pathname,
      endpoint: "managed-identity",
      status: 0,
    };
    res.on("finish", () => {
      log.status = res.statusCode;
      requests.push(log);
    });
    if (req.method !== "GET") return sendJson(res, 405, { error: "invalid_request", error_description: "GET only" });
    if (path === "/msi/token") {
      log.endpoint = "app-service";
      if (req.headers["x-identity-header"] !== identityHeader) {
        return sendJson(res, 401, { statusCode: 401, message: "Unauthorized: X-IDENTITY-HEADER is missing or wrong" });
      }
      if (q.get("api-version") !== "2019-08-01")
        return sendJson(res, 400, { statusCode: 400, message: "Unsupported api-version" });
      return issue(res, q, select(q, "mi_res_id"), false);
    }
    if (path === "/metadata/identity/oauth2/token") {
      log.endpoint = "imds";
      if (req.headers.metadata !== "true")
        return sendJson(res, 400, {
          error: "invalid_request",
          error_description: "Required metadata header not specified",
        });
      return issue(res, q, select(q, "msi_res_id"), true);
    }
    sendJson(res, 404, { error: "not_found", error_description: "No such endpoint" });
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const endpoint: ManagedIdentityEndpoint = {
    identityEndpoint: `${origin}/msi/token`,
    identityHeader,
    imdsHost: origin,
    systemAssigned,
    userAssigned,
    requests,
    mode: options.mode ?? "ok",
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return endpoint;
}
