/**
 * Runtime smoke test for Deno and Bun: imports the built package through its own exports (`acrkit/node`,
 * `acrkit/emulator`), checks that acrkit/node hashes on a worker thread past its 8 MiB threshold, starts an emulator
 * on 127.0.0.1 and runs a 12 MiB upload and verified download (hashed on the worker), setManifest, getManifest and
 * listRepositoryNames; then signs in with AzureCliCredential (a fake
 * `az` from test/runtimes/fakes) and DockerConfigCredential (a config file and a fake credential helper there).
 *
 * Run from the repository root after `npm run build` (`npm run test:deno` has the exact permissions):
 *   deno run --no-prompt --allow-net=127.0.0.1 --allow-read=. --allow-env \
 *     --allow-run=test/runtimes/fakes/az,test/runtimes/fakes/docker-credential-acrkit-smoke test/runtimes/smoke.mjs
 *   bun test/runtimes/smoke.mjs
 */
import { createHash } from "node:crypto";
import { delimiter } from "node:path";
import { fileURLToPath } from "node:url";
import {
  AzureCliCredential,
  BasicCredential,
  ContainerRegistryClient,
  DockerConfigCredential,
  getDefaultHasherFactory,
  workerHasherFactory,
} from "acrkit/node";
import { createEmulator } from "acrkit/emulator";

const runtime = globalThis.Deno
  ? `deno ${globalThis.Deno.version.deno}`
  : globalThis.Bun
    ? `bun ${globalThis.Bun.version}`
    : `node ${process.version}`;

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

function sha256(bytes) {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

async function listWith(credential) {
  const names = [];
  for await (const name of new ContainerRegistryClient(server.url, credential).listRepositoryNames()) names.push(name);
  return names;
}

/** What `az acr login` does: an Entra ID token exchanged for the registry's refresh token. */
async function exchangeForRefreshToken(aadToken) {
  const form = new URLSearchParams({
    grant_type: "access_token",
    service: new URL(server.url).host,
    access_token: aadToken,
  });
  const response = await fetch(`${server.url}/oauth2/exchange`, { method: "POST", body: form });
  check(response.ok, `the exchange answered ${response.status}`);
  return (await response.json()).refresh_token;
}

async function readAll(stream) {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const SMOKE_AAD_TOKEN = "smoke-aad-token-from-az";
const fakes = fileURLToPath(new URL("./fakes", import.meta.url));
const server = await createEmulator({
  users: { smoke: "smoke-password" },
  validateAadToken: (token) => token === SMOKE_AAD_TOKEN,
}).listen({ host: "127.0.0.1", port: 0 });
try {
  // Importing acrkit/node installs node:crypto's hasher (on a worker thread for large transfers), which Deno and Bun provide too.
  check(getDefaultHasherFactory() === workerHasherFactory, "acrkit/node made its worker hasher the default");
  // The worker really runs: past the threshold a hasher's updates answer with promises (the bytes went to the
  // worker thread), and the digest it gives back is node:crypto's of all the bytes.
  const probe = new Uint8Array(12 * 1024 * 1024);
  for (let offset = 0; offset < probe.byteLength; offset += 65_536)
    crypto.getRandomValues(probe.subarray(offset, offset + 65_536));
  const hasher = await workerHasherFactory("sha256");
  let offloaded = 0;
  for (let offset = 0; offset < probe.byteLength; offset += 1024 * 1024) {
    // The worker starts at half the threshold and takes the bytes once it has said it is ready; a transfer waits on
    // the network between pieces, this loop does not, so it gives the worker's first message time to arrive.
    if (offset === 6 * 1024 * 1024) await new Promise((resolve) => setTimeout(resolve, 2000));
    const pending = hasher.update(probe.subarray(offset, offset + 1024 * 1024));
    if (pending && typeof pending.then === "function") offloaded++;
    await pending;
  }
  check(offloaded > 0, "bytes past the threshold went to the worker thread (its updates answered with promises)");
  check(`sha256:${await hasher.digestHex()}` === sha256(probe), "the worker's digest is node:crypto's");
  const client = new ContainerRegistryClient(server.url, new BasicCredential("smoke", "smoke-password"), {
    chunkSize: 1024 * 1024,
  });
  const repository = "runtimes/smoke";

  // Beyond the 8 MiB past which acrkit/node hashes on a worker thread: the upload and the verified download hash there.
  const data = new Uint8Array(12 * 1024 * 1024 + 3);
  for (let offset = 0; offset < data.byteLength; offset += 65_536)
    crypto.getRandomValues(data.subarray(offset, Math.min(data.byteLength, offset + 65_536)));
  let lastProgress = 0;
  const layer = await client.uploadBlob(repository, data, { onProgress: ({ loaded }) => (lastProgress = loaded) });
  check(
    layer.digest === sha256(data) && layer.size === data.byteLength,
    "uploadBlob returned the digest and size of the data",
  );
  check(lastProgress === data.byteLength, "upload progress reached the whole size");

  const config = await client.uploadBlob(repository, "{}");
  const manifest = {
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    artifactType: "application/vnd.acrkit.smoke",
    config: { mediaType: "application/vnd.oci.empty.v1+json", digest: config.digest, size: config.size },
    layers: [{ mediaType: "application/octet-stream", digest: layer.digest, size: layer.size }],
  };
  const manifestDigest = await client.setManifest(repository, manifest, { tag: "v1" });
  check(manifestDigest === sha256(JSON.stringify(manifest)), "setManifest returned the digest of the bytes sent");

  const fetched = await client.getManifest(repository, "v1");
  check(fetched.digest === manifestDigest, "getManifest resolved the tag to the digest");
  check(JSON.stringify(fetched.manifest) === JSON.stringify(manifest), "getManifest returned the manifest");

  const download = await client.downloadBlob(repository, layer.digest);
  const received = await readAll(download.body);
  check(
    received.byteLength === data.byteLength && sha256(received) === layer.digest,
    "downloadBlob returned the verified bytes",
  );

  const names = [];
  for await (const name of client.listRepositoryNames()) names.push(name);
  check(names.includes(repository), `listRepositoryNames listed ${repository} (got ${names.join(", ")})`);

  // The credentials that run tools and read files: node:child_process and node:fs, as Deno and Bun provide them.
  process.env.PATH = `${fakes}${delimiter}${process.env.PATH ?? ""}`;
  process.env.ACRKIT_SMOKE_AZ_TOKEN = SMOKE_AAD_TOKEN;
  check(
    (await listWith(new AzureCliCredential())).includes(repository),
    "AzureCliCredential listed repositories with the token az printed",
  );
  const configPath = `${fakes}/docker-config.json`;
  const basic = new DockerConfigCredential({ configPath, registry: "smoke-basic.registry.test" });
  check(
    (await listWith(basic)).includes(repository),
    "DockerConfigCredential listed repositories with the auths entry's login",
  );
  process.env.ACRKIT_SMOKE_HELPER_USER = "<token>";
  process.env.ACRKIT_SMOKE_HELPER_SECRET = await exchangeForRefreshToken(SMOKE_AAD_TOKEN);
  const helper = new DockerConfigCredential({
    configPath,
    registry: "smoke-helper.registry.test",
    requireCredential: true,
  });
  check(
    (await listWith(helper)).includes(repository),
    "DockerConfigCredential listed repositories with the helper's identity token",
  );

  console.log(
    `runtime smoke passed on ${runtime}: hashing on a worker thread (${offloaded} pieces), upload, download, setManifest, getManifest, listRepositoryNames, AzureCliCredential, DockerConfigCredential`,
  );
} finally {
  await server.close();
}
