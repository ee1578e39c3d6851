/**
 * Helpers for the credential tests: options that make a credential trust the local authority, and scoped
 * environment variables.
 * @module
 */
import { ContainerRegistryClient, type TokenCredential } from "../../../../src/index";
import type { MsalNodeCredentialOptions } from "../../../../src/platform/node/index";
import type { LocalAuthority } from "../../../support/authority/index";
import { startEmulator } from "../../../support/emulator";

/** The ACR scope every test asks for. */
export const ACR_SCOPE = "https://containerregistry.azure.net/.default";

/** Points a credential at the local authority: its host, no instance discovery, its CA trusted in-process. */
export function trustAuthority(authority: LocalAuthority): MsalNodeCredentialOptions {
  return { authorityHost: authority.url, disableInstanceDiscovery: true, caCertificates: authority.caPem };
}

/** Every variable a credential or MSAL's managed identity detection reads; cleared so the host's own cannot leak in. */
export const IDENTITY_VARIABLES = [
  "AZURE_TENANT_ID",
  "AZURE_CLIENT_ID",
  "AZURE_CLIENT_SECRET",
  "AZURE_CLIENT_CERTIFICATE_PATH",
  "AZURE_CLIENT_CERTIFICATE_PASSWORD",
  "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN",
  "AZURE_AUTHORITY_HOST",
  "AZURE_POD_IDENTITY_AUTHORITY_HOST",
  "IDENTITY_ENDPOINT",
  "IDENTITY_HEADER",
  "IDENTITY_SERVER_THUMBPRINT",
  "IMDS_ENDPOINT",
  "MSI_ENDPOINT",
  "MSI_SECRET",
  "DEFAULT_IDENTITY_CLIENT_ID",
  "AZURE_FEDERATED_TOKEN_FILE",
] as const;

/**
 * Sets environment variables (clearing every identity variable first) and returns a function that restores the
 * previous values exactly.
 */
export function setIdentityEnv(values: Partial<Record<(typeof IDENTITY_VARIABLES)[number], string>>): () => void {
  const saved = new Map<string, string | undefined>(IDENTITY_VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of IDENTITY_VARIABLES) delete process.env[name];
  Object.assign(process.env, values);
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/** Waits a number of milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Builds something (a credential reads its variables at construction) with identity variables set only meanwhile. */
export function withIdentityEnv<T>(
  values: Partial<Record<(typeof IDENTITY_VARIABLES)[number], string>>,
  make: () => T,
): T {
  const restore = setIdentityEnv(values);
  try {
    return make();
  } finally {
    restore();
  }
}

/**
 * Runs the whole chain once: an emulator that validates AAD tokens with the authority, seeded with one repository,
 * listed by an acrkit client using the credential. Returns the names listed.
 */
export async function listThroughEmulator(
  authority: LocalAuthority,
  credential: TokenCredential,
  repository: string,
): Promise<string[]> {
  const registry = await startEmulator({ validateAadToken: authority.validateToken });
  try {
    await registry.emulator.seedImage({ repository, tags: ["v1"] });
    const names: string[] = [];
    for await (const name of new ContainerRegistryClient(registry.url, credential).listRepositoryNames())
      names.push(name);
    return names;
  } finally {
    await registry.close();
  }
}
