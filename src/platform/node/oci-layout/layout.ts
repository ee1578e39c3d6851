/**
 * The OCI image layout on disk (image-spec `image-layout.md`): `oci-layout`, `index.json` naming images with the
 * `org.opencontainers.image.ref.name` annotation, and content-addressed `blobs/<alg>/<hex>`. This is what
 * `skopeo copy … oci:DIR:tag` reads and writes.
 * @module
 */
import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { MAX_MANIFEST_SIZE } from "../../../core/content/manifest-size";
import { parseManifestJson } from "../../../core/content/manifests";
import type { ManifestReader, ReadManifest } from "../../../core/copy/image-graph";
import { digestOf } from "../../../core/digest/hasher";
import { parseDigest } from "../../../core/grammar/digest";
import { KnownManifestMediaType } from "../../../core/models/enums";
import type { OciDescriptor, OciImageIndex } from "../../../core/models/oci";
import { parseJsonObject } from "../../../core/utils/json-object";
import { nativeHasherFactory } from "../native-hasher";
import { OciLayoutError } from "./oci-layout-error";

/** The annotation that names an image in index.json. */
export const REF_NAME = "org.opencontainers.image.ref.name";
const LAYOUT_FILE = "oci-layout";
const LAYOUT_VERSION = "1.0.0";

/** Where a blob lives in the layout. */
export function blobPath(directory: string, digest: string): string {
  const parsed = parseDigest(digest);
  if (!parsed) throw new OciLayoutError(`Invalid digest ${JSON.stringify(digest)} in the layout`, directory);
  return join(directory, "blobs", parsed.algorithm, parsed.hex);
}

/** Reads index.json, after checking the directory is an OCI layout. */
export async function readLayoutIndex(directory: string): Promise<OciImageIndex> {
  const marker = await readJson(join(directory, LAYOUT_FILE), directory);
  if (typeof marker.imageLayoutVersion !== "string")
    throw new OciLayoutError(
      `${directory} is not an OCI image layout (no imageLayoutVersion in ${LAYOUT_FILE})`,
      directory,
    );
  const index = await readJson(join(directory, "index.json"), directory);
  return {
    ...index,
    schemaVersion: 2,
    manifests: Array.isArray(index.manifests) ? (index.manifests as OciDescriptor[]) : [],
  };
}

/** Creates the layout's marker file and blob folder when they are missing; returns the current index. */
export async function openLayoutForWriting(directory: string): Promise<OciImageIndex> {
  await mkdir(join(directory, "blobs", "sha256"), { recursive: true });
  if (!(await exists(join(directory, LAYOUT_FILE)))) {
    await writeAtomically(join(directory, LAYOUT_FILE), JSON.stringify({ imageLayoutVersion: LAYOUT_VERSION }));
  }
  if (!(await exists(join(directory, "index.json"))))
    return { schemaVersion: 2, mediaType: KnownManifestMediaType.OciImageIndex, manifests: [] };
  return readLayoutIndex(directory);
}

/** Replaces index.json in one step, so a reader never sees half of it. */
export async function writeLayoutIndex(directory: string, index: OciImageIndex): Promise<void> {
  await writeAtomically(join(directory, "index.json"), JSON.stringify(index));
}

/**
 * The index.json entry named `reference`: by exact name, or a full name ending in `:reference`; an index with one
 * unnamed entry serves any name, as skopeo's `oci:DIR` without a tag does.
 */
export function findImage(directory: string, index: OciImageIndex, reference: string): OciDescriptor {
  const named = (entry: OciDescriptor) => entry.annotations?.[REF_NAME];
  const found =
    index.manifests.find((entry) => named(entry) === reference) ??
    index.manifests.find((entry) => named(entry)?.endsWith(`:${reference}`)) ??
    (index.manifests.length === 1 && named(index.manifests[0]!) === undefined ? index.manifests[0] : undefined);
  if (!found) {
    const available = index.manifests.map(named).filter((name): name is string => name !== undefined);
    throw new OciLayoutError(
      `No image named ${JSON.stringify(reference)} in the layout ${directory}; it has: ${available.join(", ") || "none named"}`,
      directory,
      {
        reference,
        available,
      },
    );
  }
  return found;
}

/** Reads manifests from the layout's blobs, each verified against its digest. */
export function layoutReader(directory: string): ManifestReader {
  return {
    async getManifest(digest) {
      const path = blobPath(directory, digest);
      const size = (await stat(path).catch(() => undefined))?.size;
      if (size === undefined)
        throw new OciLayoutError(`The layout ${directory} lacks the manifest ${digest}`, directory);
      if (size > MAX_MANIFEST_SIZE)
        throw new RangeError(`The manifest ${digest} in ${directory} is over the ${MAX_MANIFEST_SIZE}-byte limit`);
      const bytes = new Uint8Array(await readFile(path));
      const actual = await digestOf(nativeHasherFactory, parseDigest(digest)!.algorithm, bytes);
      if (actual !== digest) throw new OciLayoutError(`The layout's blob ${digest} has content ${actual}`, directory);
      const manifest = parseManifestJson(bytes);
      return { digest, bytes, manifest, mediaType: mediaTypeOf(manifest) } satisfies ReadManifest;
    },
  };
}

/** Whether a file exists with this size; content-addressed files that do are taken as complete. */
export async function hasBlob(directory: string, blob: OciDescriptor): Promise<boolean> {
  return (await stat(blobPath(directory, blob.digest)).catch(() => undefined))?.size === blob.size;
}

/** Writes a file through a temporary one in the same folder and a rename. */
export async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
  const temporary = join(dirname(path), `.${randomUUID()}.partial`);
  try {
    await writeFile(temporary, data, { flag: "wx" });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** A manifest's own media type; OCI allows leaving it out, and then `manifests` tells an index. */
function mediaTypeOf(manifest: Record<string, unknown>): string {
  if (typeof manifest.mediaType === "string") return manifest.mediaType;
  return Array.isArray(manifest.manifests)
    ? KnownManifestMediaType.OciImageIndex
    : KnownManifestMediaType.OciImageManifest;
}

async function readJson(path: string, directory: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new OciLayoutError(`${directory} is not an OCI image layout: ${path} cannot be read`, directory);
  }
  const parsed = parseJsonObject(text);
  if (parsed === undefined) throw new OciLayoutError(`${path} is not a JSON object`, directory);
  return parsed;
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}
