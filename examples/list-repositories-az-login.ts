/**
 * Sign in as the `az login` user: AzureCliCredential asks the Azure CLI for a token, as the Azure SDK does on a
 * developer machine, so no secret or app registration is needed.
 *
 * Run: `az login`, then `CONTAINERREGISTRY_ENDPOINT=https://myregistry.azurecr.io npx tsx examples/list-repositories-az-login.ts`.
 * Without CONTAINERREGISTRY_ENDPOINT it runs offline, against an embedded emulator and a stand-in `az`.
 * @module
 */
import { AzureCliCredential, ContainerRegistryClient } from "acrkit/node";
import { installStandInAzureCli, startOfflineRegistry } from "./support/offline-sign-in";

const configured = process.env.CONTAINERREGISTRY_ENDPOINT;
const offline = configured ? undefined : await startOfflineRegistry();
try {
  if (offline) await installStandInAzureCli(offline.folder);
  const client = new ContainerRegistryClient(configured ?? offline!.url, new AzureCliCredential());
  // Not signed in, or no az at all: the AuthenticationError's cause says which, and what to run.
  for await (const name of client.listRepositoryNames()) console.log(`  ${name}`);
} finally {
  await offline?.close();
}
