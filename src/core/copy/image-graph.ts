/**
 * Walking an image on the source side of a copy: its manifests (index entries, and referrers when asked) and the
 * blobs they name, each once.
 * @module
 */
import type { ContainerRegistryClient } from "../client";
import { isIndexManifest } from "../content/platform-manifest";
import type { OciDescriptor } from "../models/oci";
import type { Limiter } from "./limiter";

/** One manifest to copy, with its exact bytes so the digest is preserved. */
export interface ManifestNode {
  digest: string;
  mediaType: string;
  bytes: Uint8Array;
}

/** Everything an image consists of, in an order a registry accepts: each manifest after what it names. */
export interface ImageGraph {
  root: ManifestNode;
  /** Children before parents; referrers after their subject. */
  manifests: ManifestNode[];
  /** Every blob, once per digest. */
  blobs: OciDescriptor[];
}

/** Where to walk from. */
export interface GraphSource {
  client: ContainerRegistryClient;
  repository: string;
  reference: string;
}

/** Fetches the manifest at `source.reference` and everything it names, in parallel under `limit`. */
export async function walkImage(
  source: GraphSource,
  options: { referrers: boolean; limit: Limiter; signal?: AbortSignal },
): Promise<ImageGraph> {
  const manifests: ManifestNode[] = [];
  const blobs = new Map<string, OciDescriptor>();
  const seen = new Set<string>();
  const { client, repository } = source;

  const visit = async (reference: string): Promise<ManifestNode> => {
    const fetched = await options.limit(() => client.getManifest(repository, reference, { signal: options.signal }));
    seen.add(fetched.digest);
    const children = isIndexManifest(fetched) ? descriptors(fetched.manifest.manifests) : [];
    // A manifest entry seen before (a shared platform image) is stored once.
    await Promise.all(children.filter((child) => claim(child.digest)).map((child) => visit(child.digest)));
    for (const blob of blobsOf(fetched.manifest)) if (!blobs.has(blob.digest)) blobs.set(blob.digest, blob);
    const node = { digest: fetched.digest, mediaType: fetched.mediaType, bytes: fetched.bytes };
    manifests.push(node);
    if (options.referrers) {
      const referrers: string[] = [];
      for await (const referrer of client.listReferrers(repository, fetched.digest, { signal: options.signal })) {
        if (claim(referrer.digest)) referrers.push(referrer.digest);
      }
      await Promise.all(referrers.map((digest) => visit(digest)));
    }
    return node;
  };
  const claim = (digest: string) => !seen.has(digest) && seen.add(digest) !== undefined;

  const root = await visit(source.reference);
  return { root, manifests, blobs: [...blobs.values()] };
}

/** The blobs a manifest names: config and layers (image), or `blobs` (the withdrawn OCI artifact manifest). */
function blobsOf(manifest: Record<string, unknown>): OciDescriptor[] {
  const all = [manifest.config, ...descriptors(manifest.layers), ...descriptors(manifest.blobs)].filter(isDescriptor);
  // Foreign layers (Windows base layers) live at their `urls`, not in the registry.
  return all.filter((blob) => !blob.mediaType.includes(".foreign.") && !(blob.urls?.length && blob.mediaType.includes("nondistributable")));
}

function descriptors(value: unknown): OciDescriptor[] {
  return Array.isArray(value) ? value.filter(isDescriptor) : [];
}

function isDescriptor(value: unknown): value is OciDescriptor {
  const candidate = value as OciDescriptor | undefined;
  return typeof candidate === "object" && candidate !== null && typeof candidate.digest === "string" && typeof candidate.mediaType === "string";
}
