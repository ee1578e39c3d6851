/**
 * The shape of a modelled link, as the bench names it and as the link proxy takes it on its command line.
 * @module
 */

/** A modelled link. */
export interface LinkShape {
  roundTripMs: number;
  /** The rate of one connection in each direction (a storage front-end's per-flow limit); none when undefined. */
  bytesPerSecond?: number;
  /** The rate all connections share in each direction (the access line); none when undefined. */
  totalBytesPerSecond?: number;
  /** Added to a new connection's first round trip: a TLS handshake's. Default 0. */
  connectMs?: number;
  /** The `index`-th connection (from 0) gets its rate divided by `factor`: a front-end that starves one flow. */
  slowConnection?: { index: number; factor: number };
}

/** The field link of the parallel download targets: 100 ms round trip, 12.5 MB/s per connection, 50 MB/s in total. */
export const FIELD_LINK: LinkShape = { roundTripMs: 100, bytesPerSecond: 12.5e6, totalBytesPerSecond: 50e6 };

/** The shape from its JSON text, or undefined when it is not a valid shape. */
export function parseLinkShape(text: string): LinkShape | undefined {
  let value: LinkShape;
  try {
    value = JSON.parse(text) as LinkShape;
  } catch {
    return undefined;
  }
  const positive = (rate: number | undefined) => rate === undefined || rate > 0;
  if (!(value.roundTripMs >= 0) || !positive(value.bytesPerSecond) || !positive(value.totalBytesPerSecond))
    return undefined;
  if (value.bytesPerSecond === undefined && value.totalBytesPerSecond === undefined) return undefined;
  return value;
}

/** A short description for scenario names, e.g. `100 ms RTT, 12.5 MB/s per connection, 50 MB/s in total`. */
export function describeLink(shape: LinkShape): string {
  const parts = [`${shape.roundTripMs} ms RTT`];
  if (shape.bytesPerSecond !== undefined)
    parts.push(`${shape.bytesPerSecond / 1e6} MB/s${shape.totalBytesPerSecond ? " per connection" : ""}`);
  if (shape.totalBytesPerSecond !== undefined) parts.push(`${shape.totalBytesPerSecond / 1e6} MB/s in total`);
  if (shape.slowConnection)
    parts.push(`connection ${shape.slowConnection.index} ${shape.slowConnection.factor}× slower`);
  return parts.join(", ");
}
