/**
 * Walking an image on the source side of a copy: its manifests (index entries, and referrers when asked) and the
 * blobs they name, each once. The source is anything that can read manifests: a registry, an OCI layout on disk.
 * @module
 */
import type { ContainerRegistryClient } from "../client";
import { isIndexManifest } from "../content/image-platform-manifest";
import type { OciDescriptor } from "../models/oci";
import type { Limiter } from "../utils/limiter";

/** One manifest to copy, with its exact bytes so the digest is preserved. */
export interface ManifestNode {
  digest: string;
  mediaType: string;
  bytes: Uint8Array;
}

/** A manifest read from a source, verified against its digest. */
export interface ReadManifest extends ManifestNode {
  manifest: Record<string, unknown>;
}

/** Where an image is read from. */
export interface ManifestReader {
  /** Reads a manifest by tag or digest. */
  getManifest(reference: string, signal?: AbortSignal): Promise<ReadManifest>;
  /** Lists the referrers of a manifest; a source without this has none. */
  listReferrers?(digest: string, signal?: AbortSignal): AsyncIterable<OciDescriptor>;
}

/** Everything an image consists of, in an order a registry accepts: each manifest after what it names. */
export interface ImageGraph {
  root: ManifestNode;
  /** Children before parents; referrers after their subject. */
  manifests: ManifestNode[];
  /** Every blob, once per digest. */
  blobs: OciDescriptor[];
}

/** Reads manifests from one repository of a registry. */
export function registryReader(client: ContainerRegistryClient, repository: string): Required<ManifestReader> {
  return {
    getManifest: (reference, signal) => client.getManifest(repository, reference, { signal }),
    listReferrers: (digest, signal) => client.listReferrers(repository, digest, { signal }),
  };
}

/** Fetches the manifest at `reference` and everything it names, in parallel under `limit`. */
export async function walkImage(
  reader: ManifestReader,
  reference: string,
  options: { referrers?: boolean; limit: Limiter; signal?: AbortSignal },
): Promise<ImageGraph> {
  const manifests: ManifestNode[] = [];
  const blobs = new Map<string, OciDescriptor>();
  const seen = new Set<string>();
  const claim = (digest: string) => !seen.has(digest) && seen.add(digest) !== undefined;
  const listReferrers = options.referrers ? reader.listReferrers?.bind(reader) : undefined;

  const visit = async (target: string): Promise<ManifestNode> => {
    const fetched = await options.limit(() => reader.getManifest(target, options.signal));
    seen.add(fetched.digest);
    const children = isIndexManifest(fetched) ? descriptors(fetched.manifest.manifests) : [];
    // A manifest entry seen before (a shared platform image) is stored once.
    await Promise.all(children.filter((child) => claim(child.digest)).map((child) => visit(child.digest)));
    for (const blob of blobsOf(fetched.manifest)) if (!blobs.has(blob.digest)) blobs.set(blob.digest, blob);
    const node = { digest: fetched.digest, mediaType: fetched.mediaType, bytes: fetched.bytes };
    manifests.push(node);
    if (listReferrers) {
      const referrers: string[] = [];
      for await (const referrer of listReferrers(fetched.digest, options.signal)) {
        if (claim(referrer.digest)) referrers.push(referrer.digest);
      }
      await Promise.all(referrers.map((digest) => visit(digest)));
    }
    return node;
  };

  const root = await visit(reference);
  return { root, manifests, blobs: [...blobs.values()] };
}

/** Stores a walked image's manifests, children first; the root under `tag` when given, else by digest. */
export async function storeManifests(
  client: ContainerRegistryClient,
  repository: string,
  graph: ImageGraph,
  options: { tag?: string; signal?: AbortSignal },
): Promise<void> {
  for (const node of graph.manifests) {
    options.signal?.throwIfAborted();
    const tag = node === graph.root ? options.tag : undefined;
    // pushManifest keeps the referrers tag up to date on registries without the referrers API.
    await client.pushManifest(repository, node.bytes, { mediaType: node.mediaType, tag, signal: options.signal });
  }
}

/** The blobs a manifest names: config and layers (image), or `blobs` (the withdrawn OCI artifact manifest). */
function blobsOf(manifest: Record<string, unknown>): OciDescriptor[] {
  const all = [manifest.config, ...descriptors(manifest.layers), ...descriptors(manifest.blobs)].filter(isDescriptor);
  // Foreign layers (Windows base layers) live at their `urls`, not in the registry.
  return all.filter(
    (blob) =>
      !blob.mediaType.includes(".foreign.") && !(blob.urls?.length && blob.mediaType.includes("nondistributable")),
  );
}

function descriptors(value: unknown): OciDescriptor[] {
  return Array.isArray(value) ? value.filter(isDescriptor) : [];
}

function isDescriptor(value: unknown): value is OciDescriptor {
  const candidate = value as OciDescriptor | undefined;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.digest === "string" &&
    typeof candidate.mediaType === "string"
  );
}
