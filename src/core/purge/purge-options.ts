/**
 * What `purge` takes, and its checks before any request.
 * @module
 */
import { assertRepositoryName, quote } from "../grammar/assert";

/** Settings of {@link purge}. At least one of `olderThan`, `keep` and `untagged` is required. */
export interface PurgeOptions {
  /** The repositories to clean: names, or a filter over the registry's repository names. Default: every repository. */
  repositories?: string[] | ((name: string) => boolean);
  /** Only manifests last updated before this: an age in milliseconds, or a point in time. */
  olderThan?: number | Date;
  /**
   * The newest N images of each repository (by last update) are never deleted; an index and its platform images
   * count as one.
   */
  keep?: number;
  /** Only manifests without tags (dangling ones). Default false: tagged manifests are deleted with their tags. */
  untagged?: boolean;
  /** Decide and report, delete nothing. Default false. */
  dryRun?: boolean;
  /** How many deletes run at once. Default: the client's `concurrency`. */
  concurrency?: number;
  /** Cancels the purge; deletes already done stay done. */
  signal?: AbortSignal;
}

/** The options, checked, with `olderThan` turned into a cutoff time. */
export interface CheckedPurgeOptions {
  repositories: string[] | ((name: string) => boolean) | undefined;
  cutoff: number | undefined;
  keep: number;
  untagged: boolean;
  dryRun: boolean;
  concurrency: number | undefined;
  signal: AbortSignal | undefined;
}

/** Checks every option, naming the bad value; `now` is when an age counts from. */
export function checkPurgeOptions(options: PurgeOptions, now: number): CheckedPurgeOptions {
  if (typeof options !== "object" || options === null)
    throw new TypeError(`purge needs options { olderThan?, keep?, untagged?, ... }, got ${quote(options)}`);
  const { repositories, olderThan, keep, untagged, dryRun, concurrency } = options;
  if (olderThan === undefined && keep === undefined && untagged !== true) {
    throw new TypeError(
      "purge needs at least one of olderThan, keep or untagged: without them it would delete every manifest",
    );
  }
  if (Array.isArray(repositories)) repositories.forEach((name) => assertRepositoryName(name));
  else if (repositories !== undefined && typeof repositories !== "function") {
    throw new TypeError(`repositories must be an array of names or a filter function, got ${quote(repositories)}`);
  }
  let cutoff: number | undefined;
  if (olderThan instanceof Date) {
    cutoff = olderThan.getTime();
    if (Number.isNaN(cutoff)) throw new RangeError("olderThan is an invalid Date");
  } else if (olderThan !== undefined) {
    if (typeof olderThan !== "number" || !Number.isFinite(olderThan) || olderThan < 0) {
      throw new RangeError(
        `olderThan must be a non-negative number of milliseconds or a Date, got ${quote(olderThan)}`,
      );
    }
    cutoff = now - olderThan;
  }
  if (keep !== undefined && (!Number.isSafeInteger(keep) || keep < 0))
    throw new RangeError(`keep must be a non-negative integer, got ${quote(keep)}`);
  for (const [name, value] of [
    ["untagged", untagged],
    ["dryRun", dryRun],
  ] as const) {
    if (value !== undefined && typeof value !== "boolean")
      throw new TypeError(`${name} must be a boolean, got ${quote(value)}`);
  }
  if (concurrency !== undefined && (!Number.isSafeInteger(concurrency) || concurrency < 1)) {
    throw new RangeError(`concurrency must be a positive integer, got ${quote(concurrency)}`);
  }
  return {
    repositories,
    cutoff,
    keep: keep ?? 0,
    untagged: untagged ?? false,
    dryRun: dryRun ?? false,
    concurrency,
    signal: options.signal,
  };
}
