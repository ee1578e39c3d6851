/**
 * Response → ServerResponse, streaming the body with backpressure, and raw answers for sockets without a request.
 * @module
 */
import type { ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/** Writes a Response; a failure mid-body can only be signalled by closing the connection, so it does that. */
export async function send(response: Response, res: ServerResponse, head: boolean): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  if (!response.body || head) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) {
        await reader.cancel();
        return;
      }
      if (!res.write(value)) await drained(res);
    }
    res.end();
  } catch {
    res.destroy();
  }
}

/** Reason phrases of the statuses the listener writes itself, before or without a parsed request. */
const REASONS: Readonly<Record<number, string>> = {
  400: "Bad Request",
  408: "Request Timeout",
  413: "Content Too Large",
  431: "Request Header Fields Too Large",
  501: "Not Implemented",
};

/**
 * Answers on a raw socket (a request Node's parser refused, or a CONNECT) with an OCI error body, then closes it:
 * after a framing error nothing more on the connection can be trusted.
 */
export function sendRaw(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ errors: [{ code, message }] });
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? "Error"}\r\n` +
      "Content-Type: application/json; charset=utf-8\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      "Docker-Distribution-Api-Version: registry/2.0\r\n" +
      "Connection: close\r\n\r\n" +
      body,
  );
}
