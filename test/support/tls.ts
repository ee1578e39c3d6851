/**
 * Loopback HTTPS for tests: a server certificate for 127.0.0.1 from a throwaway CA (the local authority's PKI), and
 * a fetch that trusts that CA, for a client's `fetch` option.
 *
 * The fetch is Node's own (undici), given a connection pool whose TLS trusts the test CA: redirects, bodies and
 * errors behave exactly as with the global fetch; only the trust store differs, as with NODE_EXTRA_CA_CERTS.
 * @module
 */
import { createServer, type Server } from "node:https";
import type { RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import type { FetchLike } from "../../src/index";
import { createTestPki, type TestPki } from "./authority/certificates";

/** A running loopback HTTPS server and a fetch that trusts it. */
export interface LoopbackTls {
  /** `https://127.0.0.1:<port>` */
  url: string;
  server: Server;
  pki: TestPki;
  /** Node's fetch, trusting the test CA (and nothing else: the hosts are loopback ones). */
  fetch: FetchLike;
  close(): Promise<void>;
}

interface Dispatcher {
  close(): Promise<void>;
}

/** The pool class of Node's bundled undici, which Node's fetch accepts as `dispatcher`; undici is not a dependency. */
async function undiciAgent(): Promise<new (options: { connect: { ca: string } }) => Dispatcher> {
  const key = Symbol.for("undici.globalDispatcher.1");
  // The global dispatcher is created on the first fetch; a data: URL makes no connection.
  if (!(globalThis as Record<symbol, unknown>)[key]) await (await fetch("data:,")).arrayBuffer();
  const dispatcher = (globalThis as Record<symbol, unknown>)[key] as
    { constructor: new (options: { connect: { ca: string } }) => Dispatcher } | undefined;
  if (!dispatcher) throw new Error("Node's fetch has no global dispatcher to take the Agent class from");
  return dispatcher.constructor;
}

/** A fetch whose TLS connections trust `caPem`. */
export async function trustingFetch(caPem: string): Promise<{ fetch: FetchLike; close(): Promise<void> }> {
  const Agent = await undiciAgent();
  const dispatcher = new Agent({ connect: { ca: caPem } });
  return {
    fetch: (input, init) => fetch(input, { ...init, dispatcher } as RequestInit),
    close: () => dispatcher.close(),
  };
}

/** Starts an HTTPS server on 127.0.0.1 with a fresh certificate, and a fetch that trusts it. */
export async function startLoopbackTls(handler: RequestListener): Promise<LoopbackTls> {
  const pki = createTestPki();
  const server = createServer({ key: pki.serverKeyPem, cert: pki.serverCertPem }, handler);
  server.on("clientError", (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const trusting = await trustingFetch(pki.caPem);
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    pki,
    fetch: trusting.fetch,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await trusting.close();
    },
  };
}
