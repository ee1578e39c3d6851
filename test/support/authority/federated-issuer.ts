/**
 * An external OpenID Connect issuer for federated identity credentials: what a Kubernetes service account issuer
 * or GitHub Actions' token service is to Entra ID. Register {@link FederatedIssuer.credential} on an app, then
 * present {@link FederatedIssuer.mint}'s tokens as client assertions.
 * @module
 */
import { type KeyObject, generateKeyPairSync, randomUUID } from "node:crypto";
import { signJwt } from "./jwt";

/** The audience Entra ID expects federated tokens to have. */
export const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

/** A federated identity credential, as registered on an app: which issuer's tokens for which subject it trusts. */
export interface FederatedCredential {
  issuer: string;
  subject: string;
  /** Accepted `aud` values; default {@link TOKEN_EXCHANGE_AUDIENCE}. */
  audiences?: string[];
  /** The issuer's signing key (Entra ID fetches it from the issuer's JWKS). */
  publicKey: KeyObject;
}

/** A test OIDC issuer with its own RSA key. */
export interface FederatedIssuer {
  /** e.g. `https://oidc.acrkit.test/<uuid>`: never contacted, only compared. */
  readonly issuer: string;
  /** The federated credential for `subject`, to register on an app. */
  credential(subject: string): FederatedCredential;
  /** A signed token for `subject`, as the issuer would hand to a workload. */
  mint(subject: string, options?: { audience?: string; lifetimeSeconds?: number }): string;
}

/** Creates a federated issuer with a fresh key pair. */
export function createFederatedIssuer(): FederatedIssuer {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const issuer = `https://oidc.acrkit.test/${randomUUID()}`;
  const kid = randomUUID();
  return {
    issuer,
    credential: (subject) => ({ issuer, subject, publicKey }),
    mint(subject, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload = {
        iss: issuer,
        sub: subject,
        aud: options.audience ?? TOKEN_EXCHANGE_AUDIENCE,
        iat: now,
        nbf: now,
        exp: now + (options.lifetimeSeconds ?? 3600),
        jti: randomUUID(),
      };
      return signJwt({ kid }, payload, privateKey);
    },
  };
}
