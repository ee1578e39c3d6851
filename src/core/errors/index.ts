export { AcrkitError } from "./acrkit-error";
export { RegistryError, type RegistryErrorDetail, type RegistryErrorInit } from "./registry-error";
export { MalformedResponseError } from "./malformed-response-error";
export { DigestValidationError } from "./digest-validation-error";
export { NetworkError, type NetworkErrorReason } from "./network-error";
export { AuthenticationError, type AuthenticationErrorInit } from "./authentication-error";
export { PlatformNotFoundError, formatPlatform } from "./platform-not-found-error";
export { HashingError, type HashingErrorReason } from "./hashing-error";
