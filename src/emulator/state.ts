/**
 * The in-memory registry: repositories, manifests (exact bytes), tags, blobs and their attributes.
 *
 * It enforces no policy (auth, changeableAttributes): routes do, so seeding can bypass it.
 * @module
 */
import { concatChunks, type StoredBlob } from "./blobs";
import { parseJsonObject } from "./http";
import type { ManifestInfo } from "./manifest";
import { IMAGE_CONFIG_TYPES } from "./media-types";
import type { Instant } from "./time";

/** ACR's `changeableAttributes`, on repositories, manifests and tags alike. */
export interface ChangeableAttributes {
  /** False makes deletes of it answer 405 (ACR's delete lock). */
  deleteEnabled: boolean;
  /** False makes pushes to it answer 405 (ACR's write lock). */
  writeEnabled: boolean;
  /** False makes pulls of it answer 405. */
  readEnabled: boolean;
  /** False hides it from listings (catalog, tags, manifests); it can still be fetched by name. */
  listEnabled: boolean;
}

/** A tag pointing at a manifest. */
export interface TagRecord {
  name: string;
  digest: string;
  createdTime: Instant;
  lastUpdateTime: Instant;
  attributes: ChangeableAttributes;
}

/** A manifest: the exact bytes it was pushed with, and what ACR lists about it. */
export interface ManifestRecord {
  digest: string;
  bytes: Uint8Array;
  info: ManifestInfo;
  /** Manifest bytes plus every referenced descriptor's size: ACR's exact formula is not published. */
  imageSize: number;
  architecture?: string;
  os?: string;
  createdTime: Instant;
  lastUpdateTime: Instant;
  attributes: ChangeableAttributes;
}

/** A repository with its manifests, tags and the blobs linked into it. */
export interface RepositoryRecord {
  name: string;
  createdTime: Instant;
  lastUpdateTime: Instant;
  attributes: ChangeableAttributes;
  manifests: Map<string, ManifestRecord>;
  tags: Map<string, TagRecord>;
  /** Digests of blobs uploaded or mounted here; blob reads are scoped to the repository, as in distribution. */
  blobs: Set<string>;
}

/** What deleting a repository removed, as ACR's DELETE /acr/v1/{name} reports it. */
export interface DeletedRepository {
  manifestsDeleted: string[];
  tagsDeleted: string[];
}

/** Every flag on: ACR's defaults. */
export function defaultAttributes(): ChangeableAttributes {
  return { deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: true };
}

/** The in-memory registry model. */
export class Registry {
  readonly #repositories = new Map<string, RepositoryRecord>();
  readonly #blobs = new Map<string, StoredBlob>();

  /** @param now the emulator's clock */
  constructor(private readonly now: () => Instant) {}

  /** A repository that has at least one manifest; ACR shows a repository only once content is pushed to it. */
  repository(name: string): RepositoryRecord | undefined {
    const repository = this.#repositories.get(name);
    return repository && repository.manifests.size > 0 ? repository : undefined;
  }

  /** Every visible repository, sorted by name. */
  repositories(): RepositoryRecord[] {
    return [...this.#repositories.values()]
      .filter((repository) => repository.manifests.size > 0)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The repository record, created empty (and so still invisible) when missing. */
  ensureRepository(name: string): RepositoryRecord {
    let repository = this.#repositories.get(name);
    if (!repository) {
      const now = this.now();
      repository = {
        name,
        createdTime: now,
        lastUpdateTime: now,
        attributes: defaultAttributes(),
        manifests: new Map(),
        tags: new Map(),
        blobs: new Set(),
      };
      this.#repositories.set(name, repository);
    }
    return repository;
  }

  /** The blob if it is linked into the repository. */
  blob(repositoryName: string, digest: string): StoredBlob | undefined {
    return this.#repositories.get(repositoryName)?.blobs.has(digest) ? this.#blobs.get(digest) : undefined;
  }

  /** Stores a blob (once per digest) and links it into the repository. */
  linkBlob(repositoryName: string, blob: StoredBlob): void {
    if (!this.#blobs.has(blob.digest)) this.#blobs.set(blob.digest, blob);
    this.ensureRepository(repositoryName).blobs.add(blob.digest);
  }

  /** Unlinks a blob from the repository, dropping its bytes when no repository links it any more. */
  unlinkBlob(repositoryName: string, digest: string): boolean {
    const removed = this.#repositories.get(repositoryName)?.blobs.delete(digest) ?? false;
    if (removed && ![...this.#repositories.values()].some((repository) => repository.blobs.has(digest))) {
      this.#blobs.delete(digest);
    }
    return removed;
  }

  /**
   * The first blob or child manifest a manifest references that the repository lacks.
   *
   * The `subject` is exempt: OCI 1.1 lets a referrer arrive before its subject.
   */
  missingReference(repositoryName: string, info: ManifestInfo): string | undefined {
    const repository = this.#repositories.get(repositoryName);
    const missingBlob = info.blobs.find((blob) => !repository?.blobs.has(blob.digest));
    const missingChild = info.children.find((child) => !repository?.manifests.has(child.digest));
    return (missingBlob ?? missingChild)?.digest;
  }

  /** Stores a manifest (already validated) and optionally points a tag at it. */
  putManifest(
    repositoryName: string,
    digest: string,
    bytes: Uint8Array,
    info: ManifestInfo,
    tag?: string,
  ): ManifestRecord {
    const repository = this.ensureRepository(repositoryName);
    const now = this.now();
    let record = repository.manifests.get(digest);
    if (record) record.lastUpdateTime = now;
    else {
      const referenced = [...info.blobs, ...info.children].reduce((sum, item) => sum + item.size, 0);
      record = {
        digest,
        bytes,
        info,
        imageSize: bytes.byteLength + referenced,
        createdTime: now,
        lastUpdateTime: now,
        attributes: defaultAttributes(),
        ...this.#platformOf(info),
      };
      repository.manifests.set(digest, record);
    }
    if (tag !== undefined) this.tag(repository, tag, digest);
    repository.lastUpdateTime = now;
    return record;
  }

  /** Points a tag at a manifest, creating or moving it. */
  tag(repository: RepositoryRecord, name: string, digest: string): void {
    const now = this.now();
    const existing = repository.tags.get(name);
    if (!existing) {
      repository.tags.set(name, {
        name,
        digest,
        createdTime: now,
        lastUpdateTime: now,
        attributes: defaultAttributes(),
      });
    } else if (existing.digest !== digest) {
      existing.digest = digest;
      existing.lastUpdateTime = now;
    }
    repository.lastUpdateTime = now;
  }

  /** Resolves a tag or a digest in a repository. */
  resolve(repository: RepositoryRecord, reference: string): ManifestRecord | undefined {
    const digest = repository.tags.get(reference)?.digest ?? reference;
    return repository.manifests.get(digest);
  }

  /** The names of the tags pointing at a digest, sorted. */
  tagsOf(repository: RepositoryRecord, digest: string): string[] {
    return [...repository.tags.values()]
      .filter((tag) => tag.digest === digest)
      .map((tag) => tag.name)
      .sort();
  }

  /** Deletes a manifest and the tags pointing at it; returns those tags. */
  deleteManifest(repository: RepositoryRecord, digest: string): string[] {
    const tags = this.tagsOf(repository, digest);
    for (const tag of tags) repository.tags.delete(tag);
    repository.manifests.delete(digest);
    repository.lastUpdateTime = this.now();
    return tags;
  }

  /** Removes a tag; the manifest stays. */
  deleteTag(repository: RepositoryRecord, tag: string): boolean {
    const removed = repository.tags.delete(tag);
    if (removed) repository.lastUpdateTime = this.now();
    return removed;
  }

  /** Deletes a repository with all its manifests, tags and blob links. */
  deleteRepository(name: string): DeletedRepository | undefined {
    const repository = this.repository(name);
    if (!repository) return undefined;
    const deleted = { manifestsDeleted: [...repository.manifests.keys()], tagsDeleted: [...repository.tags.keys()] };
    // Deleting from a Set while iterating it is well defined: visited entries are not revisited.
    for (const digest of repository.blobs) this.unlinkBlob(name, digest);
    this.#repositories.delete(name);
    return deleted;
  }

  /** Manifests in the repository whose `subject` is the digest. */
  referrers(repository: RepositoryRecord, digest: string): ManifestRecord[] {
    return [...repository.manifests.values()].filter((record) => record.info.subject?.digest === digest);
  }

  /** Reads `architecture` and `os` from an image manifest's config blob; absent for indexes and artifacts. */
  #platformOf(info: ManifestInfo): { architecture?: string; os?: string } {
    const config = info.config && IMAGE_CONFIG_TYPES.includes(info.config.mediaType) ? info.config : undefined;
    const blob = config && this.#blobs.get(config.digest);
    const json = blob ? parseJsonObject(concatChunks(blob.chunks)) : undefined;
    const platform: { architecture?: string; os?: string } = {};
    if (typeof json?.architecture === "string") platform.architecture = json.architecture;
    if (typeof json?.os === "string") platform.os = json.os;
    return platform;
  }
}
