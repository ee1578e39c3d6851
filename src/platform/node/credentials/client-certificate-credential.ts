/**
 * @module
 */
import { X509Certificate, createHash, createPrivateKey } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { ConfidentialClientApplication } from "@azure/msal-node";
import type { GetTokenOptions, TokenCredential } from "../../../core/auth/credential";
import { raceSignal } from "../../../core/utils/abort";
import { createdOnFirstUse } from "./created-on-first-use";
import { CredentialUnavailableError } from "./credential-unavailable-error";
import {
  type MsalAccessToken,
  type MsalNodeCredentialOptions,
  authorityConfig,
  authorityForTenant,
  checkTenantId,
  normalizeScopes,
  systemConfig,
  toAccessToken,
  wrapError,
} from "./msal-node-common";
import { loadMsalNode } from "./msal-node-loader";

/** Where the certificate comes from: a PEM file, or PEM text; either holds the private key and the certificate. */
export type ClientCertificateSource =
  | {
      /** The path of a PEM file, read on first use. */
      certificatePath: string;
    }
  | {
      /** The PEM text itself. */
      certificate: string;
    };

/** Options of {@link ClientCertificateCredential}. */
export interface ClientCertificateCredentialOptions extends MsalNodeCredentialOptions {
  /** Sends the certificate chain (`x5c`) with each assertion, for subject-name/issuer (SNI) authentication. */
  sendCertificateChain?: boolean;
  /** The passphrase of an encrypted private key. */
  certificatePassword?: string;
}

const NAME = "ClientCertificateCredential";
const CERT_PATTERN = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const KEY_PATTERN =
  /-----BEGIN (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----/;

interface ParsedCertificate {
  privateKey: string;
  thumbprintSha256: string;
  chain: string;
}

function parsePem(pem: string, password: string | undefined): ParsedCertificate {
  const certificates: string[] = pem.match(CERT_PATTERN) ?? [];
  const leafPem = certificates[0];
  const keyPem = pem.match(KEY_PATTERN)?.[0];
  if (!leafPem || !keyPem) {
    throw new CredentialUnavailableError(NAME, "the PEM must contain a private key and a certificate");
  }
  let privateKey: string;
  try {
    // MSAL signs with PKCS#8; converting also decrypts an encrypted key and checks the key is readable.
    privateKey = createPrivateKey(password === undefined ? keyPem : { key: keyPem, passphrase: password })
      .export({ type: "pkcs8", format: "pem" })
      .toString();
  } catch (err) {
    throw new CredentialUnavailableError(NAME, "the private key cannot be read (wrong format or passphrase)", {
      cause: err,
    });
  }
  const leaf = new X509Certificate(leafPem);
  if (!leaf.checkPrivateKey(createPrivateKey(privateKey))) {
    throw new CredentialUnavailableError(NAME, "the private key does not belong to the first certificate in the PEM");
  }
  return {
    privateKey,
    thumbprintSha256: createHash("sha256").update(leaf.raw).digest("hex"),
    chain: certificates.join("\n"),
  };
}

/**
 * A service principal that signs in with a certificate: MSAL-node signs a client assertion (PS256, `x5t#S256`)
 * with the private key. Give the certificate as a PEM file (`{ certificatePath }`, read on first use) or as PEM
 * text (`{ certificate }`); either must hold the private key and the certificate. Tokens come from MSAL's cache
 * while fresh.
 */
export class ClientCertificateCredential implements TokenCredential {
  readonly #clientId: string;
  readonly #tenantId: string;
  readonly #source: ClientCertificateSource;
  readonly #options: ClientCertificateCredentialOptions;
  readonly #app = createdOnFirstUse(() => this.#createApp());

  /**
   * @param tenantId - the Entra ID tenant (directory) id
   * @param clientId - the app registration's application (client) id
   * @param source - `{ certificatePath }` or `{ certificate: pem }`, PEM with private key and certificate
   * @param options - certificate chain and passphrase, authority host and trust, CA certificates
   */
  constructor(
    tenantId: string,
    clientId: string,
    source: ClientCertificateSource,
    options: ClientCertificateCredentialOptions = {},
  ) {
    checkTenantId(tenantId, NAME);
    if (!clientId || typeof clientId !== "string") throw new TypeError(`${NAME} needs a client id`);
    const hasPath = typeof (source as { certificatePath?: unknown })?.certificatePath === "string";
    const hasPem = typeof (source as { certificate?: unknown })?.certificate === "string";
    if (hasPath === hasPem) throw new TypeError(`${NAME} needs exactly one of certificatePath or certificate`);
    this.#clientId = clientId;
    this.#tenantId = tenantId;
    this.#source = source;
    this.#options = options;
  }

  async #createApp(): Promise<ConfidentialClientApplication> {
    let pem: string;
    if ("certificatePath" in this.#source) {
      try {
        pem = await readFile(this.#source.certificatePath, "utf8");
      } catch (err) {
        throw new CredentialUnavailableError(NAME, `cannot read the certificate file ${this.#source.certificatePath}`, {
          cause: err,
        });
      }
    } else pem = this.#source.certificate;
    const parsed = parsePem(pem, this.#options.certificatePassword);
    const { ConfidentialClientApplication } = await loadMsalNode(NAME);
    return new ConfidentialClientApplication({
      auth: {
        clientId: this.#clientId,
        clientCertificate: {
          thumbprintSha256: parsed.thumbprintSha256,
          privateKey: parsed.privateKey,
          ...(this.#options.sendCertificateChain ? { x5c: parsed.chain } : {}),
        },
        ...authorityConfig(this.#tenantId, this.#options),
      },
      system: systemConfig(this.#options),
    });
  }

  /**
   * Returns an app-only access token for the scopes, from MSAL's cache while it is fresh.
   * @throws {@link CredentialUnavailableError} when the certificate cannot be read
   * @throws {@link AuthenticationError} when the authority refuses or cannot be reached
   * @throws {@link MsalNotInstalledError} (an AuthenticationError) when `@azure/msal-node` is not installed
   */
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<MsalAccessToken> {
    const request = {
      scopes: normalizeScopes(scopes, NAME),
      authority: authorityForTenant(options, this.#tenantId, this.#options, NAME),
    };
    try {
      // A failed read is retried on the next call (the file may appear later, e.g. a mounted secret).
      const app = await this.#app();
      return toAccessToken(await raceSignal(app.acquireTokenByClientCredential(request), options?.abortSignal), NAME);
    } catch (err) {
      throw wrapError(err, NAME, [this.#options.certificatePassword]);
    }
  }
}
