/**
 * What the orchestrator asks a worker process to do, and what the worker answers.
 * @module
 */

/** The contenders that run inside a Node worker. */
export type NodeImpl = "acrkit-native" | "acrkit-sync" | "acrkit-wasm" | "azure";

interface Target {
  /** Registry base URL. */
  url: string;
  /** The emulator (token auth, request counts on the server); otherwise docker-registry (open). */
  emulator: boolean;
  impl: NodeImpl;
  chunkSize?: number;
  concurrency?: number;
  /** The client's `maxConnections` (1: one connection per blob). */
  maxConnections?: number;
  /**
   * Runs the collector every so many milliseconds during the task (bench/memory-breakdown.ts): the peak then shows
   * what the task keeps alive, without the garbage that waits for the next collection.
   */
  collectEveryMs?: number;
}

/** One unit of work. */
export type Task = Target &
  (
    | { kind: "upload"; repository: string; file: string }
    | {
        kind: "download";
        repository: string;
        digest: string;
        /** Downloads with downloadBlobToFile to this path. */ toFile?: string;
      }
    | { kind: "push-image"; repository: string; tag: string; layout: string; concurrency: number }
    | { kind: "pull-image"; repository: string; tag: string; out: string; concurrency: number }
    | { kind: "list-tags"; repository: string; anyTag: string; pageSize: number }
    | { kind: "metadata"; repository: string; tags: number; calls: number; cold: boolean }
    | {
        kind: "ranged-download";
        repository: string;
        digest: string;
        strategy: "single" | "ranged" | "ranged-parallel";
        rangeSize: number;
        parallel: number;
      }
  );

/** A worker's answer. */
export interface WorkerResult {
  /** Time of the measured work only, in milliseconds. */
  ms: number;
  /** Bytes moved (or items listed). */
  bytes: number;
  rssBaselineMiB: number;
  rssPeakMiB: number;
  rssGrowthMiB: number;
  /** HTTP requests: counted by the emulator, or by acrkit's fetch against docker-registry. */
  requests: number;
  /** The most blob transfers in flight at once (acrkit image scenarios). */
  peakInFlight: number;
  extra: Record<string, unknown>;
}
