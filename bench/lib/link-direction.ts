/**
 * One direction of a modelled network link: the bytes one socket sends to the other, given a serialisation rate, a
 * one-way delay and a sender's window of about one bandwidth-delay product.
 *
 * A piece read from the source leaves the "wire" `bytes / rate` after the previous one (serialisation at the link's
 * rate), arrives `oneWayMs` later, and is acknowledged `oneWayMs` after the destination's kernel has taken it. While
 * the unacknowledged bytes reach the window the source is paused: it stops reading its socket, so the sender sees
 * TCP backpressure exactly as behind a real link of that bandwidth and round trip, instead of an unbounded buffer.
 * @module
 */
import type { Socket } from "node:net";

/** The shape of one direction. */
export interface DirectionModel {
  /** Serialisation rate in bytes per second. */
  bytesPerSecond: number;
  /** Propagation delay from one end to the other, in milliseconds. */
  oneWayMs: number;
  /** Unacknowledged bytes at which the source is paused: the bandwidth-delay product by default. */
  windowBytes?: number;
  /** Nothing leaves before this time (`performance.now()` ms): the TCP handshake's round trip on a new connection. */
  notBefore?: number;
  /** A bottleneck every connection of the link shares (an access line): one queue at its rate, in arrival order. */
  shared?: SharedWire;
}

/** The part of a link all its connections cross: its rate, and when it is next free. */
export interface SharedWire {
  bytesPerSecond: number;
  /** `performance.now()` ms at which the last byte queued on the shared wire has left. */
  freeAt: number;
}

/** A piece of data on its way, or the end of the stream. */
interface InTransit {
  arrivesAt: number;
  data: Buffer | null;
}

/** Carries `from`'s bytes to `to` through the modelled link. */
export function shapeDirection(from: Socket, to: Socket, model: DirectionModel): void {
  // The window a sender reaches is the product of the rate it gets (the lower of its own and the shared one) and the
  // round trip: without it, a connection with no rate of its own would never feel backpressure.
  const effectiveRate = Math.min(model.bytesPerSecond, model.shared?.bytesPerSecond ?? Infinity);
  const window = model.windowBytes ?? Math.max(64 * 1024, Math.round((effectiveRate * 2 * model.oneWayMs) / 1000));
  const queue: InTransit[] = [];
  let head = 0;
  let wireFreeAt = model.notBefore ?? performance.now();
  let unacknowledged = 0;
  let timer: NodeJS.Timeout | undefined;

  const acknowledge = (bytes: number) => {
    setTimeout(() => {
      unacknowledged -= bytes;
      if (unacknowledged < window && from.isPaused() && !from.destroyed) from.resume();
    }, model.oneWayMs);
  };

  const deliver = () => {
    timer = undefined;
    const now = performance.now();
    while (head < queue.length && queue[head]!.arrivesAt <= now + 0.5) {
      const { data } = queue[head]!;
      queue[head++] = undefined as unknown as InTransit;
      if (to.destroyed) continue;
      if (data === null) to.end();
      else to.write(data, () => acknowledge(data.byteLength));
    }
    if (head === queue.length) {
      queue.length = 0;
      head = 0;
    } else {
      schedule();
    }
  };

  const schedule = () => {
    if (timer || head === queue.length) return;
    timer = setTimeout(deliver, Math.max(0, queue[head]!.arrivesAt - performance.now()));
  };

  from.on("data", (data: Buffer) => {
    const now = performance.now();
    wireFreeAt = Math.max(now, wireFreeAt) + (data.byteLength * 1000) / model.bytesPerSecond;
    if (model.shared) {
      model.shared.freeAt = Math.max(now, model.shared.freeAt) + (data.byteLength * 1000) / model.shared.bytesPerSecond;
      wireFreeAt = Math.max(wireFreeAt, model.shared.freeAt);
    }
    queue.push({ arrivesAt: wireFreeAt + model.oneWayMs, data });
    unacknowledged += data.byteLength;
    if (unacknowledged >= window) from.pause();
    schedule();
  });
  let ended = false;
  from.on("end", () => {
    ended = true;
    queue.push({ arrivesAt: Math.max(performance.now(), wireFreeAt) + model.oneWayMs, data: null });
    schedule();
  });
  // A reset travels like the data: the other end learns of it one delay later. A clean end is carried by the queue.
  from.on("close", () => {
    if (!ended) setTimeout(() => to.destroy(), Math.max(0, wireFreeAt - performance.now()) + model.oneWayMs);
  });
  from.on("error", () => undefined);
}
