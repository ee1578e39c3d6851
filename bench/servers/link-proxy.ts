/**
 * The link model as a process of its own: a loopback TCP proxy to one target that gives every connection a one-way
 * delay and a rate in each direction, and a sender's window of about one bandwidth-delay product (see
 * bench/lib/link-direction.ts). Its own process, so that its timers never share an event loop (or a core's queue)
 * with the client under test.
 *
 * Usage: `node --import tsx bench/servers/link-proxy.ts <target host:port> <round trip ms> <bytes per second>`;
 * prints `{"host":"127.0.0.1:<port>"}` once listening, and exits when its stdin closes.
 * @module
 */
import { connect, createServer, type AddressInfo, type Socket } from "node:net";
import { shapeDirection } from "../lib/link-direction";

const [target, rttArgument, rateArgument] = process.argv.slice(2);
const [targetHost, targetPort] = (target ?? "").split(":");
const roundTripMs = Number(rttArgument);
const bytesPerSecond = Number(rateArgument);
if (!targetHost || !targetPort || !(roundTripMs >= 0) || !(bytesPerSecond > 0)) {
  process.stderr.write("usage: link-proxy.ts <target host:port> <round trip ms> <bytes per second>\n");
  process.exit(2);
}
const oneWayMs = roundTripMs / 2;

const server = createServer({ allowHalfOpen: true, noDelay: true }, (client: Socket) => {
  const upstream = connect({ host: targetHost, port: Number(targetPort), allowHalfOpen: true, noDelay: true });
  // A new connection's first bytes wait for the handshake: SYN, SYN-ACK, then data, one round trip in all.
  const notBefore = performance.now() + roundTripMs;
  shapeDirection(client, upstream, { bytesPerSecond, oneWayMs, notBefore });
  shapeDirection(upstream, client, { bytesPerSecond, oneWayMs });
});
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ host: `127.0.0.1:${port}` })}\n`);
});
// The bench ends this process through its pipe: when the parent goes, so does the proxy.
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
