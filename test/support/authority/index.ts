/**
 * Test support: a local Entra-ID-compatible authority and managed identity endpoint, for running real MSAL flows
 * without Azure. Start one with {@link startAuthority}; give its `validateToken` to the emulator as
 * `validateAadToken`.
 * @module
 */
export {
  type AuthorityOptions,
  type DefaultApps,
  type LocalAuthority,
  type PendingDeviceCode,
  startAuthority,
} from "./server";
export {
  type ManagedIdentity,
  type ManagedIdentityEndpoint,
  type ManagedIdentityMode,
  startManagedIdentityEndpoint,
} from "./managed-identity";
export { type ClientCertificate, type TestPki, createTestPki } from "./certificates";
export { type TestApp, type TestAppInput } from "./apps";
export { ACR_AUDIENCE, type AccessTokenClaims, type VerifyAadTokenOptions, verifyAadToken } from "./token-issuer";
export { JwtValidationError, decodeJwt, signJwt } from "./jwt";
export {
  type FederatedCredential,
  type FederatedIssuer,
  TOKEN_EXCHANGE_AUDIENCE,
  createFederatedIssuer,
} from "./federated-issuer";
export { type LoggedRequest } from "./http-util";
