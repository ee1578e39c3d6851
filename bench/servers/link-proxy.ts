/**
 * The link model as a process of its own: a loopback TCP proxy to one target that gives every connection a one-way
 * delay and a rate in each direction, a sender's window of about one bandwidth-delay product (see
 * bench/lib/link-direction.ts), a connect delay, optionally a total rate that all connections share (an access line),
 * and optionally one connection much slower than the others. Its own process, so that its timers never share an event
 * loop (or a core's queue) with the client under test.
 *
 * Usage: `node --import tsx bench/servers/link-proxy.ts <target host:port> <LinkShape as JSON>` (bench/lib/link.ts);
 * prints `{"host":"127.0.0.1:<port>"}` once listening, and exits when its stdin closes.
 * @module
 */
import { connect, createServer, type AddressInfo, type Socket } from "node:net";
import { shapeDirection, type SharedWire } from "../lib/link-direction";
import { parseLinkShape } from "../lib/link-shape";

const [target, shapeArgument] = process.argv.slice(2);
const [targetHost, targetPort] = (target ?? "").split(":");
const shape = parseLinkShape(shapeArgument ?? "");
if (!targetHost || !targetPort || !shape) {
  process.stderr.write("usage: link-proxy.ts <target host:port> <link shape as JSON>\n");
  process.exit(2);
}
const oneWayMs = shape.roundTripMs / 2;
const perConnection = shape.bytesPerSecond ?? Infinity;
// One wire per direction: the access line's rate is shared by every connection's bytes in that direction.
const down: SharedWire | undefined = shape.totalBytesPerSecond
  ? { bytesPerSecond: shape.totalBytesPerSecond, freeAt: 0 }
  : undefined;
const up: SharedWire | undefined = shape.totalBytesPerSecond
  ? { bytesPerSecond: shape.totalBytesPerSecond, freeAt: 0 }
  : undefined;
let connections = 0;

const server = createServer({ allowHalfOpen: true, noDelay: true }, (client: Socket) => {
  const index = connections++;
  const slow = shape.slowConnection && shape.slowConnection.index === index ? shape.slowConnection.factor : 1;
  const rate = perConnection / slow;
  const upstream = connect({ host: targetHost, port: Number(targetPort), allowHalfOpen: true, noDelay: true });
  // A new connection's first bytes wait for the handshake: SYN, SYN-ACK, then data (one round trip), plus a TLS
  // handshake's where the shape models one.
  const notBefore = performance.now() + shape.roundTripMs + (shape.connectMs ?? 0);
  shapeDirection(client, upstream, { bytesPerSecond: rate, oneWayMs, notBefore, shared: up });
  shapeDirection(upstream, client, { bytesPerSecond: rate, oneWayMs, shared: down });
});
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ host: `127.0.0.1:${port}` })}\n`);
});
// The bench ends this process through its pipe: when the parent goes, so does the proxy.
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
