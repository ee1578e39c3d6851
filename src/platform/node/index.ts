/**
 * `acrkit/node`: everything of `acrkit`, plus what needs Node, Deno or Bun.
 * @module
 */
export * from "../../index";
export { ClientSecretCredential, type ClientSecretCredentialOptions } from "./credentials/client-secret-credential";
export {
  ClientCertificateCredential, type ClientCertificateCredentialOptions, type ClientCertificateSource,
} from "./credentials/client-certificate-credential";
export { ManagedIdentityCredential, type ManagedIdentityCredentialOptions } from "./credentials/managed-identity-credential";
export {
  DeviceCodeCredential, type DeviceCodeCredentialOptions, type DeviceCodeInfo, type DeviceCodePromptCallback,
} from "./credentials/device-code-credential";
export { EnvironmentCredential, type EnvironmentCredentialOptions } from "./credentials/environment-credential";
export { DefaultAzureCredential, type DefaultAzureCredentialOptions } from "./credentials/default-azure-credential";
export { CredentialUnavailableError } from "./credentials/credential-unavailable-error";
export { CredentialAuthenticationError, type AuthenticationErrorDetails } from "../shared/credential-authentication-error";
export { AggregateAuthenticationError, type CredentialAttempt } from "./credentials/aggregate-authentication-error";
export { DEFAULT_AUTHORITY_HOST, type MsalAccessToken, type MsalNodeCredentialOptions } from "./credentials/msal-node-common";
export { NetworkProbeTimeoutError, NodeNetworkClient, type NodeNetworkClientOptions } from "./credentials/node-network-client";
export type { MsalNetworkModule, MsalNetworkRequestOptions, MsalNetworkResponse } from "./credentials/msal-network-module";
export * from "./oci-layout/index";
export { fileSource } from "./file-source";
export { downloadBlobToFile } from "./download-to-file";
export { nativeHasherFactory } from "./native-hasher";

import { setDefaultHasherFactory } from "../../core/digest/default-hasher";
import { nativeHasherFactory } from "./native-hasher";

// node:crypto hashes about four times faster than hash-wasm; importing acrkit/node makes it every new client's default.
setDefaultHasherFactory(nativeHasherFactory);
