/**
 * A plain HTTP server on 127.0.0.1 whose answer each test sets: for the request path's own tests (transport,
 * requester, pipeline, token requests), where a registry would hide what one request does.
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the server does with a request. */
export type ScriptedHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** A running scripted server. */
export interface ScriptedServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly base: string;
  /** Sets the answer to every request from now on. */
  handle(handler: ScriptedHandler): void;
  /** Closes the server and every connection still open (a stalled body, say). */
  close(): Promise<void>;
}

/** Starts a scripted server; until a handler is set it answers 200 with no body. */
export async function startScriptedServer(): Promise<ScriptedServer> {
  let handler: ScriptedHandler = (_request, response) => response.end();
  const server = createServer((request, response) => handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    handle: (next) => {
      handler = next;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
