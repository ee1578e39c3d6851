/**
 * What the sign-in examples need to run offline: an emulator, and stand-ins for what `az login` and
 * `az acr login` leave on a developer machine (the `az` command, docker's config.json), in a temporary folder.
 * @module
 */
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { createEmulator, type Emulator } from "acrkit/emulator";

/** An emulator on loopback, a temporary folder, and a way to stop and remove both. */
export interface OfflineRegistry {
  emulator: Emulator;
  url: string;
  /** The login server, as `az acr login` names it in docker's config.json. */
  host: string;
  folder: string;
  close(): Promise<void>;
}

/** Starts a seeded emulator (it accepts any Entra ID token, as a registry that trusts the tenant would). */
export async function startOfflineRegistry(): Promise<OfflineRegistry> {
  const emulator = createEmulator();
  await emulator.seedImage({ repository: "hello-world", tags: ["latest"] });
  await emulator.seedImage({ repository: "team/app", tags: ["1.0"] });
  const server = await emulator.listen({ host: "127.0.0.1", port: 0 });
  const folder = await mkdtemp(join(tmpdir(), "acrkit-sign-in-"));
  console.log(`Registry: embedded emulator at ${server.url} (set CONTAINERREGISTRY_ENDPOINT to use a real registry)`);
  return {
    emulator,
    url: server.url,
    host: new URL(server.url).host,
    folder,
    close: async () => {
      await server.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** Puts a stand-in `az` first on PATH that answers `az account get-access-token` as a signed-in CLI does. */
export async function installStandInAzureCli(folder: string): Promise<void> {
  const answer = JSON.stringify({
    accessToken: "stand-in-token-of-az-login",
    expiresOn: "2099-12-31 23:00:00.000000",
    expires_on: 4102441200,
    tenant: "00000000-0000-0000-0000-000000000001",
    tokenType: "Bearer",
  });
  if (process.platform === "win32") await writeFile(join(folder, "az.cmd"), `@echo off\r\necho ${answer}\r\n`);
  else {
    await writeFile(join(folder, "az"), `#!/bin/sh\ncat <<'EOF'\n${answer}\nEOF\n`);
    await chmod(join(folder, "az"), 0o755);
  }
  process.env.PATH = `${folder}${delimiter}${process.env.PATH ?? ""}`;
  console.log("(a stand-in `az` answers for `az login`)");
}

/** Does what `az acr login` does: exchanges an Entra ID token for the registry's refresh token, and stores it in a config.json. */
export async function writeAzAcrLoginConfig(registry: OfflineRegistry): Promise<string> {
  const form = new URLSearchParams({
    grant_type: "access_token",
    service: registry.host,
    access_token: "stand-in-token-of-az-login",
  });
  const response = await fetch(`${registry.url}/oauth2/exchange`, { method: "POST", body: form });
  const { refresh_token: identitytoken } = (await response.json()) as { refresh_token: string };
  const auth = Buffer.from("00000000-0000-0000-0000-000000000000:").toString("base64");
  const configPath = join(registry.folder, "config.json");
  await writeFile(configPath, JSON.stringify({ auths: { [registry.host]: { auth, identitytoken } } }, null, 2));
  console.log("(a stand-in config.json holds what `az acr login` stores)");
  return configPath;
}
