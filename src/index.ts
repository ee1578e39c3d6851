/**
 * acrkit: a client for Azure Container Registry and every OCI registry, on fetch and Web Streams.
 * @packageDocumentation
 */
export { ContainerRegistryClient } from "./core/client";
export {
  DEFAULT_AUDIENCE,
  DEFAULT_CHUNK_SIZE,
  DEFAULT_CONCURRENCY,
  type ContainerRegistryClientOptions,
} from "./core/client-options";
export {
  AnonymousCredential,
  BasicCredential,
  StaticTokenCredential,
  type AccessToken,
  type GetTokenOptions,
  type RegistryCredential,
  type TokenCredential,
} from "./core/auth/credential";
export { RefreshTokenCredential } from "./core/auth/refresh-token-credential";
export { getAcrRefreshToken, type AcrRefreshToken, type GetAcrRefreshTokenOptions } from "./core/acr-refresh-token";
export type { RegistryCredentialResolver } from "./core/auth/registry-credential-resolver";
export * from "./core/errors/index";
export { UploadInterruptedError, type UploadInterruptedReason } from "./core/errors/upload-interrupted-error";
export * from "./core/models/enums";
export type * from "./core/models/properties";
export type * from "./core/models/oci";
export type { PagedAsyncIterableIterator, PageSettings, Page } from "./core/paging/paged-iterator";
export type { OperationOptions } from "./core/operation-context";
export type { ListTagPropertiesOptions } from "./core/registry/tags";
export type { ListManifestPropertiesOptions } from "./core/registry/manifest-properties";
export type { BlobSource, RandomAccessSource } from "./core/content/blob-source";
export type { TransferProgress } from "./core/content/context";
export type { UploadBlobOptions, UploadBlobResult } from "./core/content/upload-blob";
export type { DownloadBlobOptions, DownloadBlobResult, DownloadResumePoint } from "./core/content/download-blob";
export type { DownloadBlobToOptions, DownloadBlobToResult } from "./core/content/download-blob";
export type { RandomAccessTarget } from "./core/content/random-access-target";
export type { GetManifestResult, SetManifestOptions } from "./core/content/manifests";
export { MAX_MANIFEST_SIZE } from "./core/content/manifest-size";
export type { SizedStreamSource } from "./core/content/blob-source";
export type { GetManifestOptions } from "./core/content/image-platform-manifest";
export type { PushManifestResult } from "./core/content/push-manifest";
export type { MountBlobResult } from "./core/content/mount-blob";
export type { ListReferrersOptions } from "./core/content/referrers";
export { referrersTagOf } from "./core/content/referrers-tag-name";
export { normalizePlatform, selectPlatform } from "./core/content/image-platform";
export { copyImage, type CopyImageOptions, type CopyImageResult, type ImageReference } from "./core/copy/copy-image";
export type { CopyProgress } from "./core/copy/transfer-blobs";
export { pushArtifact, type PushArtifactOptions, type PushArtifactResult } from "./core/artifacts/push-artifact";
export { pullArtifact, type ArtifactFileEntry, type PullArtifactResult } from "./core/artifacts/pull-artifact";
export type { ArtifactConfig, ArtifactFile, PushArtifactInput } from "./core/artifacts/artifact-input";
export { EMPTY_DESCRIPTOR, TITLE_ANNOTATION } from "./core/artifacts/artifact-conventions";
export { purge, type PurgedManifest, type PurgeResult } from "./core/purge/purge";
export type { PurgeOptions } from "./core/purge/purge-options";
export type { BlobCopyAction } from "./core/copy/copy-blob";
export type { Hasher, HasherFactory } from "./core/digest/hasher";
export { wasmHasherFactory } from "./core/digest/wasm-hasher";
export { getDefaultHasherFactory, setDefaultHasherFactory } from "./core/digest/default-hasher";
export type { Logger, RequestLogEntry } from "./core/http/logger";
export type { RetryOptions } from "./core/http/retry-policy";
export type { FetchLike } from "./core/http/fetch-like";
export type { RegistryWarning, WarningHandler } from "./core/http/warning";
export { isDigest, parseDigest, type DigestAlgorithm, type ParsedDigest } from "./core/grammar/digest";
export { isRepositoryName, isTag } from "./core/grammar/reference";
export {
  formatImageReference,
  parseImageReference,
  referenceOf,
  registryEndpoint,
  type OciLayoutImageReference,
  type ParsedImageReference,
  type RegistryImageReference,
} from "./core/grammar/image-reference";
export { VERSION } from "./core/version";
