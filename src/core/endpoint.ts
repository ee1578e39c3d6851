/**
 * Validation of the registry endpoint a client is built with.
 * @module
 */
import type { RegistryCredential } from "./auth/credential";
import { quote } from "./grammar/assert";
import { redactText } from "./redaction/redact";

/** Parses an endpoint such as `myregistry.azurecr.io` or `http://127.0.0.1:5000`; no scheme means https. */
export function parseEndpoint(endpoint: unknown): URL {
  // The endpoint is quoted in errors without any password it may hold.
  const shown = typeof endpoint === "string" ? quote(redactText(endpoint)) : quote(endpoint);
  if (typeof endpoint !== "string" || endpoint.trim() === "") {
    throw new TypeError(`Invalid endpoint ${shown}: expected a registry URL such as https://myregistry.azurecr.io`);
  }
  const text = endpoint.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new TypeError(`Invalid endpoint ${shown}: not a URL`);
  }
  if (url.username || url.password) {
    throw new TypeError("Invalid endpoint: credentials in the URL are not allowed; pass a BasicCredential instead");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`Invalid endpoint ${shown}: the scheme must be https or http`);
  }
  if (url.search || url.hash) throw new TypeError(`Invalid endpoint ${shown}: no query or fragment allowed`);
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url;
}

/**
 * Refuses to send credentials in clear text: a credential over `http://` is allowed only to a loopback host
 * (127.0.0.0/8, ::1, localhost), or when the caller opts in with `allowInsecureConnection`. Anonymous access over
 * http stays allowed.
 */
export function assertSafeForCredentials(
  endpoint: URL,
  credential: RegistryCredential | undefined,
  allowInsecureConnection = false,
): void {
  if (endpoint.protocol !== "http:" || allowInsecureConnection || isLoopbackHost(endpoint.hostname)) return;
  if (credential === undefined || (credential as { kind?: string }).kind === "anonymous") return;
  throw new TypeError(
    `Refusing to send credentials over plain http to ${endpoint.host}: use https, or set allowInsecureConnection: true if the network between you and the registry is trusted`,
  );
}

/** Whether a URL hostname names this machine: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  return host === "localhost" || host.endsWith(".localhost") || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}
