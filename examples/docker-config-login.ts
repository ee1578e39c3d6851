/**
 * Use the login that `docker login` or `az acr login` stored: DockerConfigCredential reads docker's config.json
 * (and its credential helpers) for the client's registry, like docker, skopeo, crane and oras do. After
 * `az acr login` that is an ACR refresh token, used directly, without any Entra ID call.
 *
 * Run: `az acr login --name myregistry` (or `docker login myregistry.azurecr.io`), then
 * `CONTAINERREGISTRY_ENDPOINT=https://myregistry.azurecr.io npx tsx examples/docker-config-login.ts`.
 * Without CONTAINERREGISTRY_ENDPOINT it runs offline, against an embedded emulator and a stand-in config.json.
 * @module
 */
import { ContainerRegistryClient, DockerConfigCredential } from "acrkit/node";
import { startOfflineRegistry, writeAzAcrLoginConfig } from "./support/offline-sign-in";

const configured = process.env.CONTAINERREGISTRY_ENDPOINT;
const offline = configured ? undefined : await startOfflineRegistry();
try {
  // Real use needs no options: $DOCKER_CONFIG/config.json or ~/.docker/config.json, for the client's host.
  const credential = offline
    ? new DockerConfigCredential({ configPath: await writeAzAcrLoginConfig(offline), requireCredential: true })
    : new DockerConfigCredential();
  const client = new ContainerRegistryClient(configured ?? offline!.url, credential);
  for await (const name of client.listRepositoryNames()) console.log(`  ${name}`);
} finally {
  await offline?.close();
}
