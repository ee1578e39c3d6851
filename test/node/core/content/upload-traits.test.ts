import { describe, expect, it } from "vitest";
import type { ChunkedSource } from "../../../../src/core/content/blob-source";
import { UploadTraits } from "../../../../src/core/content/upload-traits";

/** A source of the given kind; only what `choose` reads. */
function source(kind: "bytes" | "file" | "stream" | "blob", size: number | undefined): ChunkedSource {
  const bytes = kind === "bytes" ? new Uint8Array(size ?? 0) : undefined;
  return {
    size,
    rereadable: kind !== "stream",
    bytes,
    blob: kind === "blob" ? new Blob([]) : undefined,
  } as unknown as ChunkedSource;
}

const NODE = { browser: false, chunkSize: 4 * 1024 * 1024, chunksRequested: false };
const MiB = 1024 * 1024;

describe("UploadTraits", () => {
  it("learns a limit the refusal names in one step, and halves the refused size otherwise", () => {
    const named = new UploadTraits();
    expect(named.refusedBody(48 * MiB, 4 * MiB)).toBe(4 * MiB);
    const halved = new UploadTraits();
    expect(halved.refusedBody(48 * MiB)).toBe(24 * MiB);
    expect(halved.refusedBody(24 * MiB)).toBe(12 * MiB);
    // A named limit no smaller than what was refused says nothing: the size is halved instead.
    expect(new UploadTraits().refusedBody(2 * MiB, 8 * MiB)).toBe(MiB);
    // A limit only ever goes down.
    expect(named.refusedBody(MiB * 64)).toBe(4 * MiB);
  });

  it("sends in one request what fits, chunks past the learned limit, and keeps to whole blobs after a refused second PATCH", () => {
    const traits = new UploadTraits();
    expect(traits.choose(source("bytes", 10 * MiB), NODE)).toBe("monolithic");
    expect(traits.choose(source("file", 10 * MiB), NODE)).toBe("streamed");
    expect(traits.choose(source("stream", 10 * MiB), NODE)).toBe("chunked");
    expect(traits.choose(source("stream", 10 * MiB), { ...NODE, digestKnown: true })).toBe("streamed-put");
    traits.refusedBody(10 * MiB, 4 * MiB);
    expect(traits.choose(source("bytes", 10 * MiB), NODE)).toBe("chunked");
    expect(traits.chunkSize(8 * MiB, 0)).toBe(4 * MiB);
    traits.refusedSecondPatch();
    expect(traits.multiplePatches).toBe(false);
    expect(traits.choose(source("file", 2 * MiB), { ...NODE, chunksRequested: true })).toBe("streamed");
  });

  it("keeps chunks at the registry's minimum, and a Blob in a browser goes in slices", () => {
    const traits = new UploadTraits();
    expect(traits.chunkSize(MiB, 5 * MiB)).toBe(5 * MiB);
    // The minimum is remembered for later sessions that do not repeat it.
    expect(traits.chunkSize(MiB, 0)).toBe(5 * MiB);
    expect(traits.choose(source("blob", 20 * MiB), { ...NODE, browser: true })).toBe("chunked");
    expect(traits.multiplePatchesProven).toBe(false);
    traits.acceptedSecondPatch();
    expect(traits.multiplePatchesProven).toBe(true);
  });
});
