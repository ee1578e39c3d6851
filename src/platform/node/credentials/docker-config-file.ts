/**
 * Reading docker's `config.json` (what `docker login` and `az acr login` write): the entry for one registry host.
 * @module
 */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { CredentialUnavailableError } from "./credential-unavailable-error";

/** One `auths` entry, as docker writes it. */
export interface DockerAuthEntry {
  /** base64 of `username:password`. */
  auth?: string;
  username?: string;
  password?: string;
  /** An OAuth refresh token for the registry's token endpoint (ACR's refresh token after `az acr login`). */
  identitytoken?: string;
}

/** What the config says about one registry. */
export type DockerConfigLookup =
  | { source: "helper"; helper: string; serverAddress: string }
  | { source: "auths"; key: string; entry: DockerAuthEntry }
  | { source: "none" };

/** The parts of config.json that hold credentials. */
interface DockerConfigJson {
  auths?: Record<string, DockerAuthEntry>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** Docker Hub's historical key: `docker login` stores Hub credentials under it. */
const DOCKER_HUB_KEY = "https://index.docker.io/v1/";
const DOCKER_HUB_HOSTS = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);

/** `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function defaultDockerConfigPath(): string {
  const dir = process.env.DOCKER_CONFIG || join(homedir(), ".docker");
  return join(dir, "config.json");
}

/**
 * The host part of a registry key or address, as docker compares them: `https://myregistry.azurecr.io/v1/` and
 * `myregistry.azurecr.io` are the same registry. Lower-case, because host names are.
 */
export function registryHostOf(key: string): string {
  const withoutScheme = key.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");
  return withoutScheme.split("/")[0].toLowerCase();
}

/** Reads and parses the config; a missing file is an empty config. */
export async function readDockerConfig(path: string, credentialName: string): Promise<DockerConfigJson> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new CredentialUnavailableError(
      credentialName,
      `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The content is never quoted: it holds passwords.
    throw new CredentialUnavailableError(credentialName, `${path} is not valid JSON`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new CredentialUnavailableError(credentialName, `${path} is not a JSON object`);
  }
  return parsed as DockerConfigJson;
}

function findKey<T>(record: Record<string, T> | undefined, host: string): string | undefined {
  if (!record || typeof record !== "object") return undefined;
  const keys = Object.keys(record);
  return keys.find((key) => key === host) ?? keys.find((key) => registryHostOf(key) === host);
}

/**
 * Where the credentials of `host` are, as docker decides: a helper named for the host in `credHelpers`, else
 * the `credsStore` helper for every host, else the `auths` entry whose key names the host (with or without scheme
 * and path).
 */
export function lookUpRegistry(config: DockerConfigJson, host: string): DockerConfigLookup {
  const isHub = DOCKER_HUB_HOSTS.has(host);
  const hosts = isHub ? [...DOCKER_HUB_HOSTS] : [host];
  const helperKey = hosts.map((h) => findKey(config.credHelpers, h)).find((k) => k !== undefined);
  const helper = helperKey === undefined ? undefined : config.credHelpers?.[helperKey];
  if (typeof helper === "string" && helper.length > 0)
    return { source: "helper", helper, serverAddress: helperKey as string };
  const authKey = hosts.map((h) => findKey(config.auths, h)).find((k) => k !== undefined);
  if (typeof config.credsStore === "string" && config.credsStore.length > 0) {
    return { source: "helper", helper: config.credsStore, serverAddress: authKey ?? (isHub ? DOCKER_HUB_KEY : host) };
  }
  const entry = authKey === undefined ? undefined : config.auths?.[authKey];
  if (entry && typeof entry === "object") return { source: "auths", key: authKey as string, entry };
  return { source: "none" };
}
