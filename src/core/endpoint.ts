/**
 * Validation of the registry endpoint a client is built with.
 * @module
 */
import { quote } from "./grammar/assert";

/** Parses an endpoint such as `myregistry.azurecr.io` or `http://127.0.0.1:5000`; no scheme means https. */
export function parseEndpoint(endpoint: unknown): URL {
  if (typeof endpoint !== "string" || endpoint.trim() === "") {
    throw new TypeError(`Invalid endpoint ${quote(endpoint)}: expected a registry URL such as https://myregistry.azurecr.io`);
  }
  const text = endpoint.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new TypeError(`Invalid endpoint ${quote(endpoint)}: not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`Invalid endpoint ${quote(endpoint)}: the scheme must be https or http`);
  }
  if (url.username || url.password) {
    throw new TypeError("Invalid endpoint: credentials in the URL are not allowed; pass a BasicCredential instead");
  }
  if (url.search || url.hash) throw new TypeError(`Invalid endpoint ${quote(endpoint)}: no query or fragment allowed`);
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url;
}
