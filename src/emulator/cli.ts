#!/usr/bin/env node
/**
 * `acrkit-emulator`: runs the emulator from the command line.
 *
 * `acrkit-emulator --port 5000 --host 127.0.0.1 [--anonymous] [--no-auth] [--user name:pass]… [--seed] [--cors] [--redirect-blobs] [--login-server host]`
 * @module
 */
import { parseArgs } from "node:util";
import { createEmulator } from "./index";
import type { Emulator } from "./types";

const USAGE = `Usage: acrkit-emulator [options]
  --port <n>            port to listen on (default 5000; 0 picks a free one)
  --host <addr>         interface (default 127.0.0.1)
  --anonymous           allow anonymous pull (and catalog listing)
  --no-auth             an open registry that never challenges
  --user <name:pass>    a Basic user with full access (repeatable)
  --seed                push demo content (hello-world, team/app, library/alpine)
  --cors                send CORS headers for every origin
  --redirect-blobs      answer blob GETs with 307 to a second storage origin
  --login-server <host> the service name (default: the Host of each request)`;

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
  });
  if (values.seed) await seed(emulator);
  const server = await emulator.listen({ port: Number(values.port), host: values.host });
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
