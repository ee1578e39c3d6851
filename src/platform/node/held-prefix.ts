/**
 * The record of how much of a resumable partial file is the blob's start: a download to a file writes ranges at
 * their offsets, so a partial file can have holes and its size says nothing; the bytes handed to the hash (all
 * written without a gap from byte 0) are recorded beside it, and a later run continues from there.
 * @module
 */
import { readFile, rm, stat, writeFile } from "node:fs/promises";

/** How many bytes of progress between two records: a run killed loses at most this much of its work. */
const RECORD_STEP = 1024 * 1024;

/** The held prefix of a partial file. */
export class HeldPrefix {
  /** The figure last asked to be recorded. */
  #wanted = 0;
  /** The figure on disk, once `#writing` settles. */
  #written = -1;
  #writing: Promise<void> = Promise.resolve();

  /** @param path - the record, beside the partial file */
  constructor(readonly path: string) {}

  /**
   * How many bytes of `partial` an earlier run left as the blob's start: the record's figure, or, for a partial file
   * without one (written in order by an earlier version), its size; 0 when there is none.
   */
  async read(partial: string): Promise<number> {
    const size = await stat(partial).then(
      (s) => s.size,
      () => 0,
    );
    const record = await readFile(this.path, "utf8").then(
      (text) => (/^\d+$/.test(text) ? Number(text) : 0),
      (error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? size : 0),
    );
    return Math.min(record, size);
  }

  /** Records `held` bytes and waits for it (before any byte beyond them is written, and at the end of a run). */
  async write(held: number): Promise<void> {
    this.#wanted = held;
    await this.#flush();
  }

  /**
   * Records `held` when it moved far enough since the last record, without waiting; records asked for while one is
   * written are folded into the next. A record lower than the truth is safe (the next run fetches a little more);
   * one written half at a kill reads as a shorter figure or none.
   */
  progress(held: number): void {
    if (held >= this.#wanted && held - this.#wanted < RECORD_STEP) return;
    this.#wanted = held;
    void this.#flush().catch(() => undefined);
  }

  /** Removes the record, once the records on their way are written (so that none comes back after it). */
  async remove(): Promise<void> {
    await this.#writing.catch(() => undefined);
    await rm(this.path, { force: true });
  }

  #flush(): Promise<void> {
    this.#writing = this.#writing
      .catch(() => undefined)
      .then(async () => {
        if (this.#written === this.#wanted) return;
        const figure = this.#wanted;
        await writeFile(this.path, String(figure));
        this.#written = figure;
      });
    return this.#writing;
  }
}
