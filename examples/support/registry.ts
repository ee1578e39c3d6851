/**
 * The one piece every example shares: a client for the registry named by the environment, or, when none is named,
 * for an emulator started in this process, so that each example also runs offline.
 *
 * - `CONTAINERREGISTRY_ENDPOINT` (or `CONTAINERREGISTRY_ANONREGISTRY_ENDPOINT` for the anonymous samples), as the
 *   Python samples read them.
 * - Credentials: `CONTAINERREGISTRY_USERNAME` and `CONTAINERREGISTRY_PASSWORD` (the ACR admin user or a
 *   repository-scoped token) give a {@link BasicCredential}; otherwise {@link DefaultAzureCredential} (the
 *   `AZURE_*` variables of a service principal, a managed identity, or a developer sign-in).
 * @module
 */
import { BasicCredential, ContainerRegistryClient, DefaultAzureCredential, type RegistryCredential } from "acrkit/node";
import { createEmulator, type Emulator } from "acrkit/emulator";

/** Which endpoint variable an example reads, and so whether it signs in at all. */
export type Access = "signed-in" | "anonymous";

/** Options of {@link openRegistry}. */
export interface OpenRegistryOptions {
  /** "anonymous" reads CONTAINERREGISTRY_ANONREGISTRY_ENDPOINT and sends no credential. Default "signed-in". */
  access?: Access;
  /** Puts what the example needs into the embedded emulator; never called for a real registry. */
  seed?: (emulator: Emulator) => Promise<void>;
}

/** A client ready to use, and how to let go of what was started for it. */
export interface ExampleRegistry {
  client: ContainerRegistryClient;
  /** The registry URL the client talks to. */
  endpoint: string;
  /** The embedded emulator, when no endpoint was configured; absent against a real registry. */
  emulator?: Emulator;
  /** Stops the embedded emulator, if one was started. */
  close(): Promise<void>;
}

/** The admin user of the embedded emulator; the examples sign in as it, the way one would with ACR's admin user. */
const EMULATOR_USER = { name: "demo", password: "demo-password" } as const;

/** Opens the configured registry, or starts and seeds an emulator on a loopback port. */
export async function openRegistry(options: OpenRegistryOptions = {}): Promise<ExampleRegistry> {
  const anonymous = options.access === "anonymous";
  const variable = anonymous ? "CONTAINERREGISTRY_ANONREGISTRY_ENDPOINT" : "CONTAINERREGISTRY_ENDPOINT";
  const configured = process.env[variable];

  if (configured) {
    const credential = anonymous ? undefined : credentialFromEnvironment();
    console.log(`Registry: ${configured} (from ${variable})`);
    return { client: new ContainerRegistryClient(configured, credential), endpoint: configured, close: async () => {} };
  }

  // Anonymous pull is switched on only for the anonymous samples, so the others really exercise sign-in.
  const emulator = createEmulator({
    users: { [EMULATOR_USER.name]: EMULATOR_USER.password },
    anonymousPull: anonymous,
  });
  await options.seed?.(emulator);
  const server = await emulator.listen({ host: "127.0.0.1", port: 0 });
  console.log(`Registry: embedded emulator at ${server.url} (set ${variable} to use a real registry)`);
  const credential = anonymous ? undefined : new BasicCredential(EMULATOR_USER.name, EMULATOR_USER.password);
  return {
    client: new ContainerRegistryClient(server.url, credential),
    endpoint: server.url,
    emulator,
    close: () => server.close(),
  };
}

/** The credential the environment describes: a username and password, else DefaultAzureCredential. */
function credentialFromEnvironment(): RegistryCredential {
  const username = process.env.CONTAINERREGISTRY_USERNAME;
  const password = process.env.CONTAINERREGISTRY_PASSWORD;
  if (username && password) return new BasicCredential(username, password);
  return new DefaultAzureCredential();
}

/** Runs an example against {@link openRegistry}'s registry and always closes it, even when the example fails. */
export async function withRegistry(
  options: OpenRegistryOptions,
  example: (registry: ExampleRegistry) => Promise<void>,
): Promise<void> {
  const registry = await openRegistry(options);
  try {
    await example(registry);
  } finally {
    await registry.close();
  }
}
