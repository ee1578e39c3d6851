export { AcrkitError } from "./acrkit-error";
export { RegistryError, type RegistryErrorDetail, type RegistryErrorInit } from "./registry-error";
export { DigestValidationError } from "./digest-validation-error";
export { NetworkError, type NetworkErrorReason } from "./network-error";
export { AuthenticationError } from "./authentication-error";
export { PlatformNotFoundError, formatPlatform } from "./platform-not-found-error";
export { UnsupportedOperationError } from "./unsupported-operation-error";
export { InvalidArtifactError } from "./invalid-artifact-error";
export { UnsafeArtifactPathError } from "./unsafe-artifact-path-error";
