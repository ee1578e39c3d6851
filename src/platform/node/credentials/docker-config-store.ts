/**
 * Writing docker's `config.json` (what `docker login` and `docker logout` do): a login stored in the credential helper
 * the config names, else in `auths`; and which source a login for a host would come from, without its secret.
 * @module
 */
import { chmod, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, basename } from "node:path";
import { CredentialUnavailableError } from "./credential-unavailable-error";
import { defaultDockerConfigPath, lookUpRegistry, readDockerConfig, registryHostOf } from "./docker-config-file";
import { firstErrorLine, runCommand } from "./run-command";

/** A login to store: a user and password, or an identity (refresh) token. */
export type DockerLogin = DockerPasswordLogin | DockerIdentityTokenLogin;

/** A user and password, as `docker login -u` stores them. */
export interface DockerPasswordLogin {
  /** The user name (no colon). */
  username: string;
  /** The password. */
  password: string;
}

/** An identity token: an ACR refresh token, as `az acr login` stores it. */
export interface DockerIdentityTokenLogin {
  /** The refresh token. */
  identityToken: string;
}

/** Options of {@link storeDockerLogin}, {@link removeDockerLogin} and {@link describeDockerLogin}. */
export interface DockerConfigStoreOptions {
  /** The config file; default `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
  configPath?: string;
  /** How long a credential helper may take; default 30 000 ms. */
  helperTimeoutMs?: number;
}

/** Where a login was stored or removed. */
export interface DockerLoginLocation {
  /** `helper`: a `docker-credential-<helper>` program; `file`: the config file's `auths`. */
  store: "helper" | "file";
  /** The helper's name, for `store: "helper"`. */
  helper?: string;
  /** The config file, for `store: "file"`. */
  path?: string;
}

/** Where the login of a host would come from, never with its secret. */
export interface DockerLoginSource {
  /** `helper` (credHelpers or credsStore), `auths` (an entry in the file) or `none`. */
  source: "helper" | "auths" | "none";
  /** The config file read. */
  path: string;
  /** The helper's name, for `source: "helper"`. */
  helper?: string;
  /** What the `auths` entry holds: an identity token, a user and password, or nothing (a placeholder). */
  kind?: "identitytoken" | "basic" | "empty";
}

const NAME = "docker config";
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** The user a credential helper stores with an identity token, in docker's protocol. */
const HELPER_TOKEN_USER = "<token>";

/**
 * Stores a login for `registry` as `docker login` does: with the helper named in `credHelpers` for the host or in
 * `credsStore` (`docker-credential-<name> store`), else in the file's `auths` (base64 `user:password`, or
 * `identitytoken`). The file is replaced whole through a temporary file, readable by its owner only.
 */
export async function storeDockerLogin(
  registry: string,
  login: DockerLogin,
  options: DockerConfigStoreOptions = {},
): Promise<DockerLoginLocation> {
  const host = checkedHost(registry);
  checkLogin(login);
  const path = options.configPath ?? defaultDockerConfigPath();
  const config = (await readDockerConfig(path, NAME)) as Record<string, unknown>;
  const found = lookUpRegistry(config, host);
  if (found.source === "helper") {
    const [username, secret] =
      "identityToken" in login ? [HELPER_TOKEN_USER, login.identityToken] : [login.username, login.password];
    await runHelper(
      found.helper,
      "store",
      JSON.stringify({ ServerURL: host, Username: username, Secret: secret }),
      options,
    );
    return { store: "helper", helper: found.helper };
  }
  const auths = { ...(config.auths as Record<string, unknown> | undefined) };
  for (const key of Object.keys(auths)) if (registryHostOf(key) === host) delete auths[key];
  auths[host] =
    "identityToken" in login
      ? { auth: Buffer.from(`${HELPER_TOKEN_USER}:`).toString("base64"), identitytoken: login.identityToken }
      : { auth: Buffer.from(`${login.username}:${login.password}`).toString("base64") };
  await writeConfig(path, { ...config, auths });
  return { store: "file", path };
}

/** Removes the login of `registry` as `docker logout` does: from its helper (`erase`) and from `auths`. */
export async function removeDockerLogin(
  registry: string,
  options: DockerConfigStoreOptions = {},
): Promise<DockerLoginLocation> {
  const host = checkedHost(registry);
  const path = options.configPath ?? defaultDockerConfigPath();
  const config = (await readDockerConfig(path, NAME)) as Record<string, unknown>;
  const found = lookUpRegistry(config, host);
  if (found.source === "helper") {
    await runHelper(found.helper, "erase", host, options);
    return { store: "helper", helper: found.helper };
  }
  const auths = { ...(config.auths as Record<string, unknown> | undefined) };
  const keys = Object.keys(auths).filter((key) => registryHostOf(key) === host);
  if (keys.length > 0) {
    for (const key of keys) delete auths[key];
    await writeConfig(path, { ...config, auths });
  }
  return { store: "file", path };
}

/** Says where a login for `registry` would come from in the config (helper, `auths` entry and its kind, none). */
export async function describeDockerLogin(
  registry: string,
  options: DockerConfigStoreOptions = {},
): Promise<DockerLoginSource> {
  const host = checkedHost(registry);
  const path = options.configPath ?? defaultDockerConfigPath();
  const found = lookUpRegistry(await readDockerConfig(path, NAME), host);
  if (found.source === "helper") return { source: "helper", helper: found.helper, path };
  if (found.source === "none") return { source: "none", path };
  const { entry } = found;
  const kind =
    typeof entry.identitytoken === "string" && entry.identitytoken !== ""
      ? "identitytoken"
      : entry.auth || entry.username
        ? "basic"
        : "empty";
  return { source: "auths", path, kind };
}

function checkedHost(registry: unknown): string {
  if (typeof registry !== "string" || registry.trim() === "")
    throw new TypeError(`registry must be a host such as myregistry.azurecr.io, got ${JSON.stringify(registry)}`);
  return registryHostOf(registry);
}

function checkLogin(login: DockerLogin): void {
  if (typeof login !== "object" || login === null)
    throw new TypeError("login must be { username, password } or { identityToken }");
  if ("identityToken" in login) {
    if (typeof login.identityToken !== "string" || login.identityToken === "")
      throw new TypeError("identityToken must be a non-empty string");
    return;
  }
  if (typeof login.username !== "string" || login.username === "" || login.username.includes(":")) {
    throw new TypeError("username must be a non-empty string without a colon");
  }
  if (typeof login.password !== "string" || login.password === "")
    throw new TypeError("password must be a non-empty string");
}

async function runHelper(
  helper: string,
  action: "store" | "erase",
  input: string,
  options: DockerConfigStoreOptions,
): Promise<void> {
  if (!HELPER_NAME.test(helper))
    throw new CredentialUnavailableError(
      NAME,
      `the credential helper name ${JSON.stringify(helper.slice(0, 100))} is not a plain name`,
    );
  const command = `docker-credential-${helper}`;
  const output = await runCommand(NAME, command, [action], { timeoutMs: options.helperTimeoutMs ?? 30_000, input });
  if (output.exitCode !== 0) {
    throw new CredentialUnavailableError(
      NAME,
      `\`${command} ${action}\` failed with exit code ${output.exitCode}: ${firstErrorLine(output.stderr || output.stdout)}`,
    );
  }
}

async function writeConfig(path: string, config: Record<string, unknown>): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = join(dirname(path), `.${basename(path)}.${crypto.randomUUID()}.tmp`);
  try {
    await writeFile(temporary, `${JSON.stringify(config, null, "\t")}\n`, { mode: 0o600, flag: "wx" });
    await chmod(temporary, 0o600);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
