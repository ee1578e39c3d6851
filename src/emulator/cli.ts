#!/usr/bin/env node
/**
 * `acrkit-emulator`: runs the emulator from the command line.
 *
 * `acrkit-emulator --port 5000 --host 127.0.0.1 [--anonymous] [--no-auth] [--user name:pass]… [--seed] [--cors] [--redirect-blobs] [--login-server host] [--profile name] [--rate-limit n] [--tls-key file --tls-cert file]`
 * @module
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createEmulator } from "./index";
import { PROFILE_NAMES } from "./profiles/index";
import type { Emulator, RegistryProfile } from "./types";

const USAGE = `Usage: acrkit-emulator [options]
  --port <n>            port to listen on (default 5000; 0 picks a free one)
  --host <addr>         interface (default 127.0.0.1)
  --anonymous           allow anonymous pull (and catalog listing)
  --no-auth             an open registry that never challenges
  --user <name:pass>    a Basic user with full access (repeatable)
  --seed                push demo content (hello-world, team/app, library/alpine)
  --cors                send CORS headers for every origin
  --redirect-blobs      answer blob GETs with 307 to a second storage origin
  --login-server <host> the service name (default: the Host of each request)
  --profile <name>      answer as this registry: ${PROFILE_NAMES.join(", ")} (default acr)
  --rate-limit <n>      answer 429 with Retry-After beyond n requests a second (those the profile counts)
  --tls-key <file>      serve HTTPS with this PEM private key (needs --tls-cert)
  --tls-cert <file>     serve HTTPS with this PEM certificate chain (needs --tls-key)`;

/** Demo content: a tagged image, a multi-platform index, a Docker-format image. */
async function seed(emulator: Emulator): Promise<void> {
  await emulator.seedImage({ repository: "hello-world", tags: ["latest", "v1"] });
  await emulator.seedIndex({ repository: "team/app", tags: ["1.0", "latest"] });
  await emulator.seedImage({ repository: "library/alpine", tags: ["3.20"], mediaType: "docker", layers: 2 });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "5000" },
      host: { type: "string", default: "127.0.0.1" },
      anonymous: { type: "boolean", default: false },
      "no-auth": { type: "boolean", default: false },
      user: { type: "string", multiple: true, default: [] },
      seed: { type: "boolean", default: false },
      cors: { type: "boolean", default: false },
      "redirect-blobs": { type: "boolean", default: false },
      "login-server": { type: "string" },
      profile: { type: "string", default: "acr" },
      "rate-limit": { type: "string" },
      "tls-key": { type: "string" },
      "tls-cert": { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const users: Record<string, string> = {};
  for (const entry of values.user) {
    const colon = entry.indexOf(":");
    if (colon <= 0) throw new TypeError(`--user expects name:password, got "${entry}"`);
    users[entry.slice(0, colon)] = entry.slice(colon + 1);
  }
  const emulator = createEmulator({
    users,
    anonymousPull: values.anonymous,
    authRequired: !values["no-auth"],
    cors: values.cors,
    redirectBlobs: values["redirect-blobs"],
    ...(values["login-server"] ? { loginServer: values["login-server"] } : {}),
    profile: values.profile as RegistryProfile,
    ...(values["rate-limit"] === undefined ? {} : { rateLimit: { perSecond: Number(values["rate-limit"]) } }),
  });
  const keyFile = values["tls-key"];
  const certFile = values["tls-cert"];
  if ((keyFile === undefined) !== (certFile === undefined)) throw new TypeError("--tls-key and --tls-cert go together");
  const tls =
    keyFile && certFile ? { key: readFileSync(keyFile, "utf8"), cert: readFileSync(certFile, "utf8") } : undefined;
  if (values.seed) await seed(emulator);
  const server = await emulator.listen({ port: Number(values.port), host: values.host, ...(tls ? { tls } : {}) });
  console.log(`acrkit-emulator listening on ${server.url}`);
  if (server.storageUrl) console.log(`blob storage origin on ${server.storageUrl}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
