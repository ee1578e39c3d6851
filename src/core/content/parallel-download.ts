/**
 * One blob over several connections: ranges fetched at once, held in a bounded reorder window and handed out in
 * order, so that the caller hashes and reads the same stream as from one connection. The first read (a plain GET)
 * goes on as the first connection, read directly while it is alone; more are added while they raise the throughput (connection-growth.ts). A range
 * that falls far behind is asked for again on another connection; a server that ignores or refuses Range makes the
 * download go on as one stream from the last byte in order; a broken connection gives its range back, within the
 * download's resumes. Whatever fails, the reader gets bytes in order or an error, never a byte out of place. With a
 * target (a file), each range is written at its offset instead, and the pieces that come out are read back in order.
 * @module
 */
import { NetworkError } from "../errors/network-error";
import type { BlobLocation, RangeAnswer } from "./blob-location";
import { ConnectionGrowth } from "./connection-growth";
import { bodyOf, brokenResponse, rangeStart } from "./download-response";
import { plainIfRefused, sequentialPieces, type BlobPieces } from "./download-sequential";
import { RangeScheduler, type ByteRange } from "./range-scheduler";
import { PositionalWindow } from "./positional-window";
import type { RandomAccessTarget } from "./random-access-target";
import { ReorderWindow, type PieceWindow } from "./reorder-window";

/** How a parallel download is shaped. */
export interface ParallelSettings {
  /** The size of one range. */
  chunkSize: number;
  /** The most connections for this blob. */
  maxConnections: number;
  /** The most bytes held out of order (with a target: how far ahead of the hash a range may start). */
  windowBytes: number;
}

/** A slot for one more connection from a budget that other transfers share; false when there is none free now. */
export type ConnectionSlot = () => (() => void) | undefined;

/** What a parallel download starts from. */
export interface ParallelInit {
  location: BlobLocation;
  /** The answer to the first, plain read: 200 with the whole blob. */
  first: Response;
  size: number;
  settings: ParallelSettings;
  /** Broken connections resumed in all. */
  maxResumes: number;
  signal?: AbortSignal;
  /** Takes a connection beyond the first from the client's budget. */
  slot?: ConnectionSlot;
  /**
   * Where each range is written at its offset as it arrives (positional-window.ts): the pieces that come out are
   * then already written, and out-of-order bytes wait there instead of in memory.
   */
  target?: RandomAccessTarget;
}

/** The shortest measurement of the first connection alone, in milliseconds, and its fewest bytes (a range's). */
const GROWTH_INTERVAL_MS = 500;
/** Bytes held at the front for a reader that is slower than the link: its backpressure. */
const FRONT_LIMIT = 2 * 1024 * 1024;
/** A range whose connection runs at less than this share of the fastest is asked for again elsewhere. */
const STRAGGLER_SHARE = 0.25;
/** A range is not judged a straggler before this age, in milliseconds: its request and first bytes take round trips. */
const STRAGGLER_MIN_AGE = 1000;

/** One range on its way. */
interface Fetch {
  range: ByteRange;
  /** The next byte this fetch puts into the window. */
  offset: number;
  controller: AbortController;
  requestedAt: number;
  bytes: number;
  /** When its first byte arrived. */
  firstByteAt?: number;
  /** The download's bytes received when it did. */
  totalAtFirstByte?: number;
  /** Whether the growth has looked at it. */
  judged?: boolean;
}

/** Starts the parallel download; its pieces come out in order. */
export function parallelPieces(init: ParallelInit): BlobPieces {
  const { location, size, settings } = init;
  const window: PieceWindow = init.target
    ? new PositionalWindow(init.target, size, settings.windowBytes, FRONT_LIMIT)
    : new ReorderWindow(size, settings.windowBytes, FRONT_LIMIT);
  const scheduler = new RangeScheduler(size, settings.chunkSize);
  const growth = new ConnectionGrowth(settings.maxConnections, settings.chunkSize, GROWTH_INTERVAL_MS);
  const stop = new AbortController();
  const fetches = new Set<Fetch>();
  const recentRates: number[] = [];
  let workers = 0;
  let single = false;
  let resumes = 0;
  let replaced = 0;
  /** Whether the first extra connection has started (it probes at the blob's tail). */
  let probed = false;
  /** Bytes received by every connection. */
  let total = 0;

  const now = () => performance.now();
  const oneStream = () => single || (growth.frozen && growth.target === 1);

  const fail = (error: unknown) => {
    if (stop.signal.aborted) return;
    stop.abort(error);
    window.fail(error);
  };
  init.signal?.addEventListener("abort", () => fail(init.signal!.reason), { once: true });

  const newFetch = (range: ByteRange): Fetch => {
    const fetch: Fetch = {
      range,
      offset: range.start,
      controller: new AbortController(),
      requestedAt: now(),
      bytes: 0,
    };
    fetches.add(fetch);
    return fetch;
  };
  const signalOf = (fetch: Fetch) => AbortSignal.any([stop.signal, fetch.controller.signal]);

  const received = (fetch: Fetch, bytes: number) => {
    const t = now();
    if (fetch.firstByteAt === undefined) {
      fetch.firstByteAt = t;
      fetch.totalAtFirstByte = total;
    }
    fetch.bytes += bytes;
    total += bytes;
  };

  /** A range has run long enough to tell whether the link had room for the connections it ran with. */
  const judge = (fetch: Fetch) => {
    if (fetch.judged || fetch.firstByteAt === undefined) return;
    fetch.judged = true;
    if (growth.rangeDone(total - fetch.totalAtFirstByte!, fetch.firstByteAt, now())) grow();
  };

  /** A range ended: its rate is a yardstick for stragglers. */
  const rangeDone = (fetch: Fetch) => {
    if (fetch.firstByteAt === undefined) return;
    recentRates.splice(0, recentRates.length - 7, fetch.bytes / (now() - fetch.requestedAt));
    judge(fetch);
  };

  /** Puts a body's bytes into the window from `fetch.offset` on, until its range ends (extending it where it may). */
  const pump = async (fetch: Fetch, body: ReadableStream<Uint8Array>, skip: number, toEnd: boolean) => {
    const reader = body.getReader();
    let toSkip = skip;
    const signal = signalOf(fetch);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (signal.aborted) throw signal.reason;
        if (done) {
          if (fetch.offset < fetch.range.end) throw new NetworkError("connection", "GET", location.url);
          return;
        }
        let piece = value;
        if (toSkip > 0) {
          const dropped = Math.min(toSkip, piece.byteLength);
          toSkip -= dropped;
          piece = piece.subarray(dropped);
        }
        while (piece.byteLength > 0) {
          // A body that runs to the blob's end goes on into the next range while nobody else has claimed it.
          if (fetch.offset === fetch.range.end && !(toEnd && scheduler.extend(fetch.range, oneStream()))) return;
          const part = piece.subarray(0, fetch.range.end - fetch.offset);
          await window.put(fetch.offset, part, signal);
          fetch.offset += part.byteLength;
          piece = piece.subarray(part.byteLength);
          received(fetch, part.byteLength);
        }
        if (fetch.offset === fetch.range.end && !(toEnd && scheduler.extend(fetch.range, oneStream()))) return;
      }
    } finally {
      // A body left before its end closes its connection; one read to its end has nothing left to cancel.
      void reader.cancel().catch(() => undefined);
    }
  };

  /** Runs one range to its end; a broken connection gives the rest back. */
  const run = async (
    fetch: Fetch,
    start: () => Promise<{ body: ReadableStream<Uint8Array>; skip: number; toEnd: boolean }>,
  ) => {
    try {
      const { body, skip, toEnd } = await start();
      await pump(fetch, body, skip, toEnd);
      rangeDone(fetch);
    } catch (error) {
      if (stop.signal.aborted) return;
      // Another connection took over this range (it fell behind, or the download went on as one stream).
      if (fetch.controller.signal.aborted) return;
      if (!(error instanceof NetworkError) || resumes >= init.maxResumes) throw error;
      resumes++;
      scheduler.giveBack({ start: fetch.offset, end: fetch.range.end });
    } finally {
      fetches.delete(fetch);
    }
  };

  const ranged = async (range: ByteRange) => {
    const fetch = newFetch(range);
    await run(fetch, async () => {
      const answer = await location.read(range.start, range.end, signalOf(fetch));
      if (answer.kind === "range") {
        if (rangeStart(answer.response) !== range.start)
          throw await brokenResponse(
            answer.response,
            location.digest,
            "a Content-Range that does not match the request",
          );
        return { body: bodyOf(answer.response), skip: 0, toEnd: range.end === size };
      }
      return continueAsOne(fetch, answer);
    });
  };

  /**
   * The server ignored or refused Range: every other range stops, what is held beyond the bytes in order is dropped,
   * and this fetch reads on from there as the only stream.
   */
  const continueAsOne = async (fetch: Fetch, answer: RangeAnswer) => {
    single = true;
    for (const other of fetches) if (other !== fetch) other.controller.abort();
    window.dropBeyondContiguous();
    const offset = window.contiguous;
    scheduler.restartAt(offset);
    fetch.range = scheduler.claim(size, true) ?? { start: offset, end: offset };
    fetch.offset = offset;
    const next = await plainIfRefused(location, answer, offset, signalOf(fetch));
    return { body: bodyOf(next.response), skip: next.skip, toEnd: true };
  };

  /** The connection that feeds the front fell far behind the others: its range goes to another connection. */
  const replaceStraggler = () => {
    if (single) return;
    const front = [...fetches].find((fetch) => fetch.offset === window.contiguous && fetch.offset < fetch.range.end);
    if (!front) return;
    const age = now() - front.requestedAt;
    // Compared with the connections running beside it: on a link they share, all run alike and none is replaced. A
    // connection alone is compared with the ranges before it.
    const others = [...fetches]
      .filter((fetch) => fetch !== front)
      .map((fetch) => fetch.bytes / (now() - fetch.requestedAt));
    const fastest = Math.max(0, ...(others.length > 0 ? others : recentRates));
    if (age < STRAGGLER_MIN_AGE || fastest === 0 || front.bytes / age >= fastest * STRAGGLER_SHARE) return;
    // A link that slowed down as a whole makes every connection a "straggler": asking again would only add requests.
    if (replaced >= settings.maxConnections * 2) return;
    replaced++;
    front.controller.abort();
    fetches.delete(front);
    scheduler.giveBack({ start: front.offset, end: front.range.end });
  };

  const worker = async (release?: () => void) => {
    try {
      while (!stop.signal.aborted) {
        // A connection the growth no longer wants ends after its range, unless a range given back waits for it (it
        // may be the front, which the others would otherwise wait for with full windows).
        if (workers > growth.target && !single && !scheduler.hasReturned) return;
        // While a verdict that may take the count back is due, a range from the blob's tail gives it without cutting
        // off the stream in front, which then goes on alone with no new request should the count go back to one.
        const tail = probed && !growth.undecided ? undefined : scheduler.claimTail();
        probed = true;
        const range = tail ?? scheduler.claim(window.next + settings.windowBytes, oneStream());
        if (range) {
          await ranged(range);
          continue;
        }
        if (scheduler.exhausted) return;
        // Wait for room in the window (the watch looks at the front meanwhile: it may be holding everyone up).
        await window.changed(250);
      }
    } catch (error) {
      fail(error);
    } finally {
      workers--;
      release?.();
    }
  };

  const grow = () => {
    // Counted before any starts: a worker that finds nothing to do ends at once, and must not make room for another.
    const wanted = growth.target - workers;
    for (let started = 0; started < wanted && !single && !scheduler.exhausted; started++) {
      const release = init.slot ? init.slot() : () => undefined;
      if (!release) return;
      workers++;
      void worker(release);
    }
  };

  // The first read goes on as the first connection: no round trip before the first byte. While it runs alone, the
  // reader reads it directly, as from one connection: a link that one connection fills (loopback, an uncapped line)
  // never pays for the window (bench/README.md, "The loopback verified download, again").
  const alone = sequentialPieces(location, init.first, 0, { size, maxResumes: init.maxResumes, signal: stop.signal });
  let direct = true;
  let aloneSince: number | undefined;
  let watch: ReturnType<typeof setInterval> | undefined;

  const readAlone = async () => {
    const piece = await alone.read();
    if (piece === undefined) return undefined;
    // With a target, the pieces that come out are written: these, at the offset they continue.
    await init.target?.write(total, piece);
    const t = now();
    aloneSince ??= t;
    total += piece.byteLength;
    if (growth.alone(piece.byteLength, aloneSince, t)) goParallel();
    return piece;
  };

  /** The growth wants a second connection: from the bytes read so far on, the first one feeds the window. */
  const goParallel = () => {
    direct = false;
    window.advanceTo(total);
    scheduler.restartAt(total);
    workers = 1;
    const head = newFetch(scheduler.claim(size)!);
    void run(head, async () => ({ body: streamOf(alone), skip: 0, toEnd: true }))
      .then(() => {
        probed = true;
        return worker();
      })
      .catch((error: unknown) => {
        workers--;
        fail(error);
      });
    grow();
    // The front is watched on a clock too: a single connection left that slows down has no waiting worker to notice.
    watch = setInterval(replaceStraggler, 250);
    // A body nobody reads to its end must not keep a Node process alive.
    (watch as { unref?: () => void }).unref?.();
    stop.signal.addEventListener("abort", () => clearInterval(watch), { once: true });
  };
  stop.signal.addEventListener("abort", () => void alone.cancel(stop.signal.reason), { once: true });

  return {
    read: async () => {
      if (direct) return readAlone();
      const piece = await window.take();
      if (piece === undefined) clearInterval(watch);
      return piece;
    },
    cancel: async (reason) => fail(reason ?? new Error("cancelled")),
  };
}

/** In-order pieces as a stream, for a connection that goes on feeding the window. */
function streamOf(pieces: BlobPieces): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const piece = await pieces.read();
      if (piece === undefined) controller.close();
      else controller.enqueue(piece);
    },
    cancel: (reason) => pieces.cancel(reason),
  });
}
