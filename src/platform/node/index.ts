/**
 * `acrkit/node`: everything of `acrkit`, plus what needs Node, Deno or Bun.
 * @module
 */
export * from "../../index";
export { ClientSecretCredential, type ClientSecretCredentialOptions } from "./credentials/client-secret-credential";
export {
  ClientCertificateCredential,
  type ClientCertificateCredentialOptions,
  type ClientCertificateSource,
} from "./credentials/client-certificate-credential";
export {
  ManagedIdentityCredential,
  type ManagedIdentityCredentialOptions,
} from "./credentials/managed-identity-credential";
export {
  DeviceCodeCredential,
  type DeviceCodeCredentialOptions,
  type DeviceCodeInfo,
  type DeviceCodePromptCallback,
} from "./credentials/device-code-credential";
export { EnvironmentCredential, type EnvironmentCredentialOptions } from "./credentials/environment-credential";
export { DefaultAzureCredential, type DefaultAzureCredentialOptions } from "./credentials/default-azure-credential";
export { AzureCliCredential, type AzureCliCredentialOptions } from "./credentials/azure-cli-credential";
export {
  AzureDeveloperCliCredential,
  type AzureDeveloperCliCredentialOptions,
} from "./credentials/azure-developer-cli-credential";
export type { DeveloperCliCredentialOptions } from "./credentials/developer-cli";
export {
  ClientAssertionCredential,
  type ClientAssertionCredentialOptions,
} from "./credentials/client-assertion-credential";
export {
  WorkloadIdentityCredential,
  type WorkloadIdentityCredentialOptions,
} from "./credentials/workload-identity-credential";
export { DockerConfigCredential, type DockerConfigCredentialOptions } from "./credentials/docker-config-credential";
export {
  describeDockerLogin,
  removeDockerLogin,
  storeDockerLogin,
  type DockerConfigStoreOptions,
  type DockerIdentityTokenLogin,
  type DockerLogin,
  type DockerLoginLocation,
  type DockerLoginSource,
  type DockerPasswordLogin,
} from "./credentials/docker-config-store";
export { CredentialUnavailableError } from "./credentials/credential-unavailable-error";
export {
  CredentialAuthenticationError,
  type AuthenticationErrorDetails,
} from "../shared/credential-authentication-error";
export { MsalNotInstalledError, type MsalPackageName } from "../shared/msal-not-installed-error";
export { AggregateAuthenticationError, type CredentialAttempt } from "./credentials/aggregate-authentication-error";
export {
  DEFAULT_AUTHORITY_HOST,
  type MsalAccessToken,
  type MsalNodeCredentialOptions,
} from "./credentials/msal-node-common";
export {
  NetworkProbeTimeoutError,
  NodeNetworkClient,
  type NodeNetworkClientOptions,
} from "./credentials/node-network-client";
export type {
  MsalNetworkModule,
  MsalNetworkRequestOptions,
  MsalNetworkResponse,
} from "./credentials/msal-network-module";
export * from "./oci-layout/index";
export { fileSource } from "./file-source";
export { downloadBlobToFile, type DownloadBlobToFileOptions } from "./download-to-file";
export {
  pullArtifactToDirectory,
  type PullArtifactToDirectoryOptions,
  type PullArtifactToDirectoryResult,
} from "./pull-artifact-to-directory";
export { nativeHasherFactory } from "./native-hasher";
export {
  createWorkerHasherFactory,
  DEFAULT_WORKER_HASH_THRESHOLD,
  workerHasherFactory,
  type WorkerHasherOptions,
} from "./worker-hasher";

import { setDefaultHasherFactory } from "../../core/digest/default-hasher";
import { setDefaultFetch } from "../../core/http/default-fetch";
import { nodeFetch } from "./http-transport/node-fetch";
import { sendsOnNodeHttp } from "./http-transport/runtime";
import { workerHasherFactory } from "./worker-hasher";

// node:crypto hashes about four times faster than hash-wasm, and large transfers hash it on a worker thread, off
// the thread that receives or sends the bytes; importing acrkit/node makes it every new client's default.
setDefaultHasherFactory(workerHasherFactory);

// Node's fetch costs about 1 ms of CPU for a small request where node:https costs 0.4 ms (bench/README, "The metadata
// path"); on Node itself (not Deno or Bun) clients send on node:http(s) unless their `fetch` option names another.
if (sendsOnNodeHttp()) setDefaultFetch(nodeFetch);
