/**
 * The registry client: every operation of the public API, each validating its input and delegating to its module.
 * @module
 */
import { Authenticator } from "./auth/authenticator";
import type { RegistryCredential } from "./auth/credential";
import {
  DEFAULT_AUDIENCE,
  DEFAULT_CHUNK_SIZE,
  DEFAULT_CONCURRENCY,
  DEFAULT_DOWNLOAD_CONNECTIONS,
  DEFAULT_DOWNLOAD_RANGE_SIZE,
  DEFAULT_DOWNLOAD_WINDOW,
  DEFAULT_PARALLEL_DOWNLOAD_THRESHOLD,
  type ContainerRegistryClientOptions,
} from "./client-options";
import type { BlobSource } from "./content/blob-source";
import type { ContentContext, DownloadSettings } from "./content/context";
import type { DownloadBlobOptions, DownloadBlobResult } from "./content/download-blob";
import type { DownloadBlobToOptions, DownloadBlobToResult } from "./content/download-blob";
import type { RandomAccessTarget } from "./content/random-access-target";
import type { GetManifestResult, SetManifestOptions } from "./content/manifests";
import type { MountBlobResult } from "./content/mount-blob";
import type { GetManifestOptions } from "./content/image-platform-manifest";
import type { PushManifestResult } from "./content/push-manifest";
import type { ListReferrersOptions } from "./content/referrers";
import type { UploadBlobOptions, UploadBlobResult } from "./content/upload-blob";
import { getDefaultHasherFactory } from "./digest/default-hasher";
import { assertSafeForCredentials, parseEndpoint } from "./endpoint";
import { assertDigest, assertRepositoryName, assertTag, assertTagOrDigest, quote } from "./grammar/assert";
import { Pipeline } from "./auth/pipeline";
import { Requester } from "./http/requester";
import { RetryPolicy } from "./http/retry-policy";
import { SecretStore } from "./http/secret-store";
import { Transport } from "./http/transport";
import type { OciDescriptor, PlatformSelector } from "./models/oci";
import type {
  ArtifactManifestProperties,
  ArtifactTagProperties,
  ChangeableProperties,
  RepositoryProperties,
} from "./models/properties";
import { lazyPagedIterator } from "./paging/lazy-paged-iterator";
import type { PagedAsyncIterableIterator } from "./paging/paged-iterator";
import type { OperationOptions } from "./operation-context";
import * as manifestProperties from "./registry/manifest-properties";
import * as repositories from "./registry/repositories";
import * as tags from "./registry/tags";

/*
 * Transfers and manifest handling are imported on first use (`await import(...)`): a page that only browses
 * metadata never loads them, and bundlers split them into chunks of their own.
 */

/**
 * A client for one registry: ACR's metadata API (`/acr/v1`) and the OCI content API (`/v2`). Whether the registry
 * has `/acr/v1` is decided once, from its first answer to an `/acr/v1` request; without it, listings and `deleteTag`
 * use the OCI API and the other metadata methods throw UnsupportedOperationError.
 *
 * @example
 * ```ts
 * const client = new ContainerRegistryClient("https://myregistry.azurecr.io", new DefaultAzureCredential());
 * for await (const name of client.listRepositoryNames()) console.log(name);
 * ```
 */
export class ContainerRegistryClient {
  /** The registry's base URL. */
  readonly endpoint: string;
  /** How many transfers multi-blob operations (copyImage, OCI layouts) run at once. */
  readonly concurrency: number;
  readonly #context: ContentContext;
  readonly #authenticator: Authenticator;

  /**
   * @param endpoint - the registry URL; no scheme means https, and http is allowed for local registries
   * @param credential - a TokenCredential, a BasicCredential, or none / AnonymousCredential for anonymous pull
   * @param options - transport, retry, logging and transfer settings
   */
  constructor(endpoint: string, credential?: RegistryCredential, options: ContainerRegistryClientOptions = {}) {
    const url = parseEndpoint(endpoint);
    assertSafeForCredentials(url, credential, options.allowInsecureConnection);
    if (options.onWarning !== undefined && typeof options.onWarning !== "function") {
      throw new TypeError(`onWarning must be a function, got ${quote(options.onWarning)}`);
    }
    const transport = new Transport({
      fetch: options.fetch,
      timeout: options.timeout,
      userAgent: options.userAgent,
      logger: options.logger,
      onWarning: options.onWarning,
    });
    const retry = new RetryPolicy(options.retry);
    const requester = new Requester(transport, retry, new SecretStore());
    const authenticator = new Authenticator(credential, requester, {
      endpoint: url,
      audience: options.audience ?? DEFAULT_AUDIENCE,
      trustedRealmHosts: options.trustedRealmHosts,
      tenantId: options.tenantId,
    });
    this.#authenticator = authenticator;
    this.endpoint = url.href;
    this.concurrency = positive("concurrency", options.concurrency, DEFAULT_CONCURRENCY);
    this.#context = {
      pipeline: new Pipeline(requester, authenticator),
      endpoint: url,
      loginServer: url.host,
      hasherFactory: options.hasher ?? getDefaultHasherFactory(),
      chunkSize: options.chunkSize ?? DEFAULT_CHUNK_SIZE,
      chunkSizeSet: options.chunkSize !== undefined,
      retry,
      downloads: downloadSettings(options),
      capabilities: {},
      concurrency: this.concurrency,
    };
  }

  /** Lists the registry's repository names: from ACR's `/acr/v1/_catalog`, elsewhere from the OCI `/v2/_catalog`. */
  listRepositoryNames(options: OperationOptions = {}): PagedAsyncIterableIterator<string> {
    return repositories.listRepositoryNames(this.#context, options);
  }

  /** Gets a repository's properties. */
  getRepositoryProperties(repository: string, options: OperationOptions = {}): Promise<RepositoryProperties> {
    assertRepositoryName(repository);
    return repositories.getRepositoryProperties(this.#context, repository, options);
  }

  /** Changes a repository's permission flags (`canDelete`, `canWrite`, `canList`, `canRead`). */
  updateRepositoryProperties(
    repository: string,
    properties: ChangeableProperties,
    options: OperationOptions = {},
  ): Promise<RepositoryProperties> {
    assertRepositoryName(repository);
    return repositories.updateRepositoryProperties(this.#context, repository, checkedFlags(properties), options);
  }

  /** Deletes a repository and everything in it; a missing repository is not an error. */
  deleteRepository(repository: string, options: OperationOptions = {}): Promise<void> {
    assertRepositoryName(repository);
    return repositories.deleteRepository(this.#context, repository, options);
  }

  /** Lists a repository's manifests with their properties, optionally by last update time. */
  listManifestProperties(
    repository: string,
    options: manifestProperties.ListManifestPropertiesOptions = {},
  ): PagedAsyncIterableIterator<ArtifactManifestProperties> {
    assertRepositoryName(repository);
    return manifestProperties.listManifestProperties(this.#context, repository, options);
  }

  /** Gets a manifest's properties, by tag or digest. */
  getManifestProperties(
    repository: string,
    tagOrDigest: string,
    options: OperationOptions = {},
  ): Promise<ArtifactManifestProperties> {
    assertRepositoryName(repository);
    assertTagOrDigest(tagOrDigest);
    return manifestProperties.getManifestProperties(this.#context, repository, tagOrDigest, options);
  }

  /** Changes a manifest's permission flags, by tag or digest. */
  updateManifestProperties(
    repository: string,
    tagOrDigest: string,
    properties: ChangeableProperties,
    options: OperationOptions = {},
  ): Promise<ArtifactManifestProperties> {
    assertRepositoryName(repository);
    assertTagOrDigest(tagOrDigest);
    return manifestProperties.updateManifestProperties(
      this.#context,
      repository,
      tagOrDigest,
      checkedFlags(properties),
      options,
    );
  }

  /**
   * Lists a repository's tags with their properties, optionally ordered or only those of one digest. On a registry
   * without `/acr/v1` the tags come from `/v2/<name>/tags/list` in name order, with `digest` only when asked for
   * (`includeDigests`) and timestamps and flags `undefined`.
   */
  listTagProperties(
    repository: string,
    options: tags.ListTagPropertiesOptions = {},
  ): PagedAsyncIterableIterator<ArtifactTagProperties> {
    assertRepositoryName(repository);
    if (options.digest !== undefined) assertDigest(options.digest);
    if (options.includeDigests !== undefined && typeof options.includeDigests !== "boolean") {
      throw new TypeError(`includeDigests must be a boolean, got ${quote(options.includeDigests)}`);
    }
    return tags.listTagProperties(this.#context, repository, options);
  }

  /** Gets a tag's properties. */
  getTagProperties(repository: string, tag: string, options: OperationOptions = {}): Promise<ArtifactTagProperties> {
    assertRepositoryName(repository);
    assertTag(tag);
    return tags.getTagProperties(this.#context, repository, tag, options);
  }

  /** Changes a tag's permission flags. */
  updateTagProperties(
    repository: string,
    tag: string,
    properties: ChangeableProperties,
    options: OperationOptions = {},
  ): Promise<ArtifactTagProperties> {
    assertRepositoryName(repository);
    assertTag(tag);
    return tags.updateTagProperties(this.#context, repository, tag, checkedFlags(properties), options);
  }

  /**
   * Removes a tag; the manifest stays. A missing tag is not an error. Outside ACR this is the OCI 1.1 tag delete;
   * a registry without it (distribution 2.8) gives an UnsupportedOperationError.
   */
  deleteTag(repository: string, tag: string, options: OperationOptions = {}): Promise<void> {
    assertRepositoryName(repository);
    assertTag(tag);
    return tags.deleteTag(this.#context, repository, tag, options);
  }

  /** Uploads a blob (a layer or a config) and returns its digest and size. */
  async uploadBlob(repository: string, data: BlobSource, options: UploadBlobOptions = {}): Promise<UploadBlobResult> {
    assertRepositoryName(repository);
    return (await import("./content/upload-blob")).uploadBlob(this.#context, repository, data, options);
  }

  /** Downloads a blob; the body verifies the digest as it streams. */
  async downloadBlob(
    repository: string,
    digest: string,
    options: DownloadBlobOptions = {},
  ): Promise<DownloadBlobResult> {
    // The repository and digest are checked by the download code, still before any request.
    return (await import("./content/download-blob")).downloadBlob(this.#context, repository, digest, options);
  }

  /**
   * Downloads a blob into a random-access target (a file, say) and verifies it. Over several connections each range is
   * written at its offset as it arrives and hashed as the target fills, so bytes out of order wait in the target
   * instead of in memory. Rejects with DigestValidationError when the bytes do not match `digest`; the target then
   * holds bytes that are not the blob, for the caller to discard (acrkit/node's `downloadBlobToFile` does).
   */
  async downloadBlobTo(
    repository: string,
    digest: string,
    target: RandomAccessTarget,
    options: DownloadBlobToOptions = {},
  ): Promise<DownloadBlobToResult> {
    return (await import("./content/download-blob")).downloadBlobTo(this.#context, repository, digest, target, options);
  }

  /** Deletes a blob; a missing blob is not an error. */
  async deleteBlob(repository: string, digest: string, options: OperationOptions = {}): Promise<void> {
    assertRepositoryName(repository);
    assertDigest(digest);
    return (await import("./content/blobs")).deleteBlob(this.#context, repository, digest, options);
  }

  /** Whether the repository holds the blob. */
  async blobExists(repository: string, digest: string, options: OperationOptions = {}): Promise<boolean> {
    assertRepositoryName(repository);
    assertDigest(digest);
    return (await import("./content/blobs")).blobExists(this.#context, repository, digest, options);
  }

  /**
   * Stores a manifest, optionally tagged, and returns its digest. A manifest with a `subject` is listed as a referrer
   * of it: by the registry's referrers API, or, where the registry has none, in the referrers tag the client updates.
   * {@link ContainerRegistryClient.pushManifest} returns the details.
   */
  async setManifest(
    repository: string,
    manifest: object | Uint8Array | string,
    options: SetManifestOptions = {},
  ): Promise<string> {
    return (await this.pushManifest(repository, manifest, options)).digest;
  }

  /**
   * Stores a manifest like {@link ContainerRegistryClient.setManifest} and says how: its digest, media type and size,
   * and for a manifest with a `subject`, the registry's `OCI-Subject` answer or the referrers tag the client updated.
   */
  async pushManifest(
    repository: string,
    manifest: object | Uint8Array | string,
    options: SetManifestOptions = {},
  ): Promise<PushManifestResult> {
    assertRepositoryName(repository);
    if (options.tag !== undefined) assertTag(options.tag);
    return (await import("./content/push-manifest")).pushManifest(this.#context, repository, manifest, options);
  }

  /**
   * Fetches a manifest by tag or digest, verified against its digest. With `platform`, an OCI image index or Docker
   * manifest list is resolved to that platform's manifest (PlatformNotFoundError lists the platforms there are).
   */
  async getManifest(
    repository: string,
    tagOrDigest: string,
    options: GetManifestOptions = {},
  ): Promise<GetManifestResult> {
    assertRepositoryName(repository);
    assertTagOrDigest(tagOrDigest);
    if (options.platform === undefined)
      return (await import("./content/manifests")).getManifest(this.#context, repository, tagOrDigest, options);
    const platform = checkedPlatform(options.platform);
    return (await import("./content/image-platform-manifest")).getPlatformManifest(
      this.#context,
      repository,
      tagOrDigest,
      platform,
      options,
    );
  }

  /** Whether the repository holds a manifest with this tag or digest (HEAD). */
  async manifestExists(repository: string, tagOrDigest: string, options: OperationOptions = {}): Promise<boolean> {
    assertRepositoryName(repository);
    assertTagOrDigest(tagOrDigest);
    return (await import("./content/manifest-exists")).manifestExists(this.#context, repository, tagOrDigest, options);
  }

  /**
   * The ACR refresh token this client's Entra ID credential is exchanged for, the secret docker's `identitytoken` and
   * credential helpers hand to other tools (valid for the registry for about three hours). Sent on the client's one
   * request path: the registry's challenge (learned once), then `/oauth2/exchange`.
   * @throws {@link AuthenticationError} when the client holds no Entra ID credential, the registry has no Bearer
   * challenge, or the exchange is refused
   */
  async getAcrRefreshToken(options: OperationOptions = {}): Promise<string> {
    const { exchangeForAcrRefreshToken } = await import("./auth/acr-token-exchange");
    return exchangeForAcrRefreshToken(
      this.#authenticator,
      this.#context.pipeline,
      this.#context.endpoint,
      options.signal,
    );
  }

  /**
   * The digest a tag (or digest) names, from a HEAD; undefined when the repository has no such manifest. A registry
   * that leaves `Docker-Content-Digest` out of its HEAD answer is asked with a GET, whose bytes are hashed.
   */
  async resolveDigest(
    repository: string,
    tagOrDigest: string,
    options: OperationOptions = {},
  ): Promise<string | undefined> {
    assertRepositoryName(repository);
    assertTagOrDigest(tagOrDigest);
    return (await import("./content/manifests")).resolveManifestDigest(this.#context, repository, tagOrDigest, options);
  }

  /**
   * Links a blob of `fromRepository` into `repository` without sending its bytes. When the registry cannot (202: the
   * blob is not there or the credential may not pull it), the upload session it opened is cancelled and `mounted` is false.
   */
  async mountBlob(
    repository: string,
    digest: string,
    fromRepository?: string,
    options: OperationOptions = {},
  ): Promise<MountBlobResult> {
    assertRepositoryName(repository);
    assertDigest(digest);
    if (fromRepository !== undefined) assertRepositoryName(fromRepository);
    return (await import("./content/mount-blob")).mountBlob(this.#context, repository, digest, fromRepository, options);
  }

  /**
   * Lists the manifests whose `subject` is `digest` (signatures, SBOMs, attestations), optionally of one artifact
   * type, from the OCI 1.1 referrers API or, on registries without it, from the referrers tag `sha256-<hex>`.
   */
  listReferrers(
    repository: string,
    digest: string,
    options: ListReferrersOptions = {},
  ): PagedAsyncIterableIterator<OciDescriptor> {
    assertRepositoryName(repository);
    assertDigest(digest);
    if (
      options.artifactType !== undefined &&
      (typeof options.artifactType !== "string" || options.artifactType === "")
    ) {
      throw new TypeError(`artifactType must be a non-empty media type string, got ${quote(options.artifactType)}`);
    }
    return lazyPagedIterator(async () =>
      (await import("./content/referrers")).listReferrers(this.#context, repository, digest, options),
    );
  }

  /** Deletes a manifest and its tags, by digest or by a tag that is resolved first. */
  async deleteManifest(repository: string, tagOrDigest: string, options: OperationOptions = {}): Promise<void> {
    assertRepositoryName(repository);
    assertTagOrDigest(tagOrDigest);
    return (await import("./content/manifests")).deleteManifest(this.#context, repository, tagOrDigest, options);
  }
}

/** Refuses a platform without os and architecture strings, naming what it got. */
function checkedPlatform(platform: PlatformSelector): PlatformSelector {
  if (typeof platform !== "object" || platform === null)
    throw new TypeError(`platform must be { os, architecture, variant? }, got ${quote(platform)}`);
  for (const key of ["os", "architecture"] as const) {
    if (typeof platform[key] !== "string" || platform[key] === "")
      throw new TypeError(`platform.${key} must be a non-empty string, got ${quote(platform[key])}`);
  }
  if (platform.variant !== undefined && (typeof platform.variant !== "string" || platform.variant === "")) {
    throw new TypeError(`platform.variant must be a non-empty string when given, got ${quote(platform.variant)}`);
  }
  return platform;
}

const FLAG_NAMES = ["canDelete", "canWrite", "canList", "canRead"] as const;

/** Refuses flags that are not booleans and keys that are not flags, so a typo never sends an empty PATCH. */
function checkedFlags(properties: ChangeableProperties): ChangeableProperties {
  if (typeof properties !== "object" || properties === null)
    throw new TypeError("Properties must be an object of canDelete, canWrite, canList and canRead");
  for (const [key, value] of Object.entries(properties)) {
    if (!(FLAG_NAMES as readonly string[]).includes(key))
      throw new TypeError(`Unknown property ${JSON.stringify(key)}: expected one of ${FLAG_NAMES.join(", ")}`);
    if (value !== undefined && typeof value !== "boolean")
      throw new TypeError(`Property ${key} must be a boolean, got ${typeof value}`);
  }
  return properties;
}

/** A count option: `fallback` when absent, a RangeError naming it when not a positive integer. */
function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${quote(value)}`);
  return value;
}

/** The parallel download settings from the client's options, each checked. */
function downloadSettings(options: ContainerRegistryClientOptions): DownloadSettings {
  const maxConnections = positive("maxConnections", options.maxConnections, DEFAULT_DOWNLOAD_CONNECTIONS);
  return {
    threshold: positive(
      "parallelDownloadThreshold",
      options.parallelDownloadThreshold,
      DEFAULT_PARALLEL_DOWNLOAD_THRESHOLD,
    ),
    maxConnections,
    chunkSize: positive("downloadRangeSize", options.downloadRangeSize, DEFAULT_DOWNLOAD_RANGE_SIZE),
    windowBytes: positive("downloadWindow", options.downloadWindow, DEFAULT_DOWNLOAD_WINDOW),
  };
}
