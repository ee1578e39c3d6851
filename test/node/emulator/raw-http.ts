/**
 * Raw HTTP/1.1 over `node:net` for the emulator's robustness tests: bytes go out exactly as written, so nothing
 * (no client library, no URL parser) normalises a malformed request before the server sees it.
 * @module
 */
import { connect, type Socket } from "node:net";

/** One answer read off the wire. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Reads answers off a socket as they complete; `Content-Length` framing only (all the emulator's answers to these). */
export class RawConnection {
  readonly #socket: Socket;
  #buffer = Buffer.alloc(0);
  #closed = false;
  #waiter: (() => void) | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#waiter?.();
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      this.#closed = true;
      this.#waiter?.();
    });
  }

  /** Opens a connection to a server URL's host and port. */
  static open(url: string): Promise<RawConnection> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => resolve(new RawConnection(socket)));
      socket.once("error", reject);
    });
  }

  /** Sends bytes as they are. */
  write(data: string | Uint8Array): Promise<void> {
    return new Promise((resolve) => this.#socket.write(data, () => resolve()));
  }

  /** True once the server closed the connection. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * The next complete answer, or undefined when the connection closes (or `timeoutMs` passes) without one.
   * `bodiless`: the answer is to a HEAD request, so its Content-Length describes no bytes on the wire.
   */
  async answer(timeoutMs = 5000, bodiless = false): Promise<RawAnswer | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const parsed = this.#take(bodiless);
      if (parsed) return parsed;
      if (this.#closed || Date.now() >= deadline) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.#waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#waiter = undefined;
    }
  }

  /** Destroys the connection (an aborted request, from the server's side). */
  destroy(): void {
    this.#socket.destroy();
  }

  #take(bodiless: boolean): RawAnswer | undefined {
    const end = this.#buffer.indexOf("\r\n\r\n");
    if (end < 0) return undefined;
    const [statusLine, ...lines] = this.#buffer.subarray(0, end).toString("latin1").split("\r\n");
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(":");
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine!)?.[1]);
    // 1xx answers carry no body and precede the real one.
    const length =
      bodiless || status < 200 || status === 204 || status === 304 ? 0 : Number(headers["content-length"] ?? 0);
    if (this.#buffer.byteLength < end + 4 + length) return undefined;
    const body = this.#buffer.subarray(end + 4, end + 4 + length).toString("utf8");
    this.#buffer = this.#buffer.subarray(end + 4 + length);
    return status < 200 ? this.#take(bodiless) : { status, headers, body };
  }
}

/** Sends one raw request on a fresh connection and returns the server's answer (undefined: none came). */
export async function exchange(
  url: string,
  request: string | Uint8Array,
  timeoutMs?: number,
): Promise<RawAnswer | undefined> {
  const connection = await RawConnection.open(url);
  try {
    await connection.write(request);
    return await connection.answer(timeoutMs);
  } finally {
    connection.destroy();
  }
}

/** The OCI error code of a raw answer's JSON body. */
export function rawErrorCode(answer: RawAnswer | undefined): string | undefined {
  return (JSON.parse(answer?.body ?? "{}") as { errors?: Array<{ code: string }> }).errors?.[0]?.code;
}
