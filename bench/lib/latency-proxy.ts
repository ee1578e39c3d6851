/**
 * A loopback TCP proxy that delays every piece of data by a fixed time in each direction, so that the many-layer
 * scenarios can also run with a round-trip time like a real registry's. On bare loopback every transfer is bound by
 * CPU alone and concurrency has no latency to hide.
 * @module
 */
import { connect, createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

/** A running proxy. */
export interface LatencyProxy {
  /** `127.0.0.1:<port>` */
  host: string;
  close(): Promise<void>;
}

/** Forwards `from` to `to`, each piece `delayMs` later; equal timeouts fire in order, so bytes stay in order. */
function delayed(from: Socket, to: Socket, delayMs: number): void {
  from.on("data", (data: Buffer) => {
    setTimeout(() => {
      if (!to.destroyed) to.write(data);
    }, delayMs);
  });
  from.on("end", () => setTimeout(() => to.end(), delayMs));
  from.on("error", () => to.destroy());
  from.on("close", () => setTimeout(() => to.destroy(), delayMs));
}

/** Starts a proxy to `target` (`host:port`) adding `oneWayMs` each way (the round trip grows by twice that). */
export async function startLatencyProxy(target: string, oneWayMs: number): Promise<LatencyProxy> {
  const [targetHost, targetPort] = target.split(":") as [string, string];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(targetPort), targetHost);
    for (const socket of [client, upstream]) {
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    }
    delayed(client, upstream, oneWayMs);
    delayed(upstream, client, oneWayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
