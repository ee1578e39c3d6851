/**
 * The keep-alive connection pools every client made through acrkit/node shares, one for http and one for https, as
 * every fetch call shares undici's global dispatcher: a metadata call after the first reuses its connection.
 * @module
 */
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";

/**
 * How long an idle connection is kept, in milliseconds: under the 5 s most servers keep one (Node's and nginx's
 * default), as undici's 4 s, so that a request rarely goes out on a connection the server is closing. A server's
 * `Keep-Alive: timeout=N` shortens it further (Node's Agent reads the hint).
 */
const IDLE_TIMEOUT = 4_000;

const options = { keepAlive: true, timeout: IDLE_TIMEOUT, scheduling: "lifo" } as const;

// Made on first use: Deno and Bun load acrkit/node too, and never send on these.
let http: HttpAgent | undefined;
let https: HttpsAgent | undefined;

/**
 * The shared pool for https (true) or plain http (false). TLS trust is Node's default: its bundled roots plus
 * NODE_EXTRA_CA_CERTS, certificate and host name checked.
 */
export function agentFor(secure: boolean): HttpAgent {
  return secure ? (https ??= new HttpsAgent(options)) : (http ??= new HttpAgent(options));
}
