/**
 * An MSAL network module on node:http/node:https, for what MSAL's built-in fetch client cannot do: trust an extra
 * CA in-process and time out a probe of a managed identity endpoint.
 * @module
 */
import { AcrkitError } from "../../../core/errors/acrkit-error";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { rootCertificates } from "node:tls";
import type { MsalNetworkModule, MsalNetworkRequestOptions, MsalNetworkResponse } from "./msal-network-module";
import { loadMsalNode } from "./msal-node-loader";

/** Options of {@link NodeNetworkClient}. */
export interface NodeNetworkClientOptions {
  /**
   * Extra CA certificates (PEM) to trust for HTTPS, on top of Node's bundled roots (and `NODE_EXTRA_CA_CERTS`,
   * which only applies when set before the process starts).
   */
  caCertificates?: string | string[];
  /**
   * Time limit for requests until the first answer arrives. Used to find out quickly whether a managed identity
   * endpoint exists at all; once one answered, requests are no longer limited.
   */
  probeTimeoutMs?: number;
}

/** Thrown by {@link NodeNetworkClient} when a probe finds nothing listening in time. */
export class NetworkProbeTimeoutError extends AcrkitError {
  /** Always `"NetworkProbeTimeoutError"`, the class name; for logs and checks where `instanceof` does not work (e.g. across bundles). */
  override readonly name = "NetworkProbeTimeoutError";
  /** @param timeoutMs - the limit that passed */
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/** An MSAL `INetworkModule` that trusts extra CAs and can time out a first probe. */
export class NodeNetworkClient implements MsalNetworkModule {
  readonly #ca?: string[];
  #probeTimeoutMs?: number;

  /** @param options - extra CAs and the probe timeout */
  constructor(options: NodeNetworkClientOptions = {}) {
    if (options.caCertificates !== undefined) {
      const extra = Array.isArray(options.caCertificates) ? options.caCertificates : [options.caCertificates];
      // Node's `ca` replaces the default roots, so keep them to still reach public clouds.
      this.#ca = [...rootCertificates, ...extra];
    }
    this.#probeTimeoutMs = options.probeTimeoutMs;
  }

  /** Sends a GET request; `timeout` (ms) is MSAL's own limit for the call. */
  sendGetRequestAsync<T>(
    url: string,
    options?: MsalNetworkRequestOptions,
    timeout?: number,
  ): Promise<MsalNetworkResponse<T>> {
    return this.#send<T>("GET", url, options, timeout);
  }

  /** Sends a POST request. */
  sendPostRequestAsync<T>(url: string, options?: MsalNetworkRequestOptions): Promise<MsalNetworkResponse<T>> {
    return this.#send<T>("POST", url, options);
  }

  #send<T>(
    method: string,
    url: string,
    options: MsalNetworkRequestOptions = {},
    timeout?: number,
  ): Promise<MsalNetworkResponse<T>> {
    const target = new URL(url);
    const limit = this.#probeTimeoutMs ?? timeout;
    const body = method === "POST" ? Buffer.from(options.body ?? "", "utf8") : undefined;
    const headers: Record<string, string | number> = { ...options.headers };
    if (body) headers["content-length"] = body.length;
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        target,
        { method, headers, ...(this.#ca && target.protocol === "https:" ? { ca: this.#ca } : {}) },
        (res) => {
          this.#probeTimeoutMs = undefined;
          readResponse<T>(res).then(resolve, reject);
        },
      );
      if (limit) {
        req.setTimeout(limit, () => req.destroy(new NetworkProbeTimeoutError(limit)));
      }
      req.on(
        "error",
        (err) => void msalError("network_error", `Network request failed: ${err.message}`).then(reject, reject),
      );
      req.end(body);
    });
  }
}

async function readResponse<T>(res: IncomingMessage): Promise<MsalNetworkResponse<T>> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(res.headers)) {
    if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(", ") : value;
  }
  let body: T;
  try {
    body = JSON.parse(text) as T;
  } catch {
    // Same code MSAL's own client uses, so MSAL reports it the same way.
    throw await msalError("token_parsing_error", `Failed to parse response (HTTP ${res.statusCode ?? 0}, not JSON)`);
  }
  return { headers, body, status: res.statusCode ?? 0 };
}

/**
 * MSAL's own `AuthError`, which MSAL passes on as it is (it replaces any other error with a bare network error). MSAL
 * is loaded already: only MSAL calls a network module.
 */
async function msalError(code: string, message: string): Promise<Error> {
  const { AuthError } = await loadMsalNode("NodeNetworkClient");
  return new AuthError(code, "", message);
}
