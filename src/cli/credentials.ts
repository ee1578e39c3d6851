/**
 * The credential chain of every command, first match wins: flags (`-u`/`-p`, `--password-stdin`),
 * `ACRKIT_USERNAME`/`ACRKIT_PASSWORD`, docker's config (auths, identitytoken, credHelpers, credsStore), the Entra ID
 * chain for ACR hosts (DefaultAzureCredential, exchanged for an ACR refresh token by the client), anonymous.
 * @module
 */
import {
  BasicCredential,
  DockerConfigCredential,
  describeDockerLogin,
  type RegistryCredential,
  type TokenCredential,
} from "acrkit/node";
import { flag, stringOption, type ParsedArgs } from "./args";
import { UsageError } from "./exit-codes";
import { entraCredential } from "./entra";
import type { CliIo } from "./io";

/** Which step of the chain answers, and how, never with the secret. */
export interface CredentialSource {
  source: "flags" | "environment" | "docker-config" | "entra-id" | "anonymous";
  /** What in that source: `basic`, `identitytoken`, `helper docker-credential-<name>`, `DefaultAzureCredential`. */
  detail: string;
}

/** ACR's login-server suffixes (public cloud, China, US Government). */
const ACR_HOST = /\.azurecr\.(io|cn|us)$/i;

/** Whether the host is an ACR login server, where the Entra ID chain applies. */
export function isAcrHost(host: string): boolean {
  return ACR_HOST.test(host.replace(/:[0-9]+$/, ""));
}

/** Reads the whole of stdin as text, once (for --password-stdin). */
function readStdin(io: CliIo): Promise<string> {
  return new Response(io.stdin()).text();
}

/** The flags' user and password, when given; --password-stdin reads the password once. */
export async function flagLogin(
  args: ParsedArgs,
  io: CliIo,
): Promise<{ username: string; password: string } | undefined> {
  const username = stringOption(args, "username");
  let password = stringOption(args, "password");
  if (flag(args, "password-stdin")) {
    if (password !== undefined) throw new UsageError("--password and --password-stdin exclude each other");
    password = (await readStdin(io)).replace(/\r?\n$/, "");
  }
  if (username === undefined && password === undefined) return undefined;
  if (!username || !password) throw new UsageError("-u/--username and a password (-p or --password-stdin) go together");
  return { username, password };
}

/** Finds the credential for a registry host by the chain, and says which source gave it. */
export async function resolveCredential(
  host: string,
  args: ParsedArgs,
  io: CliIo,
  login: { username: string; password: string } | undefined,
): Promise<{ credential: RegistryCredential | TokenCredential | undefined; source: CredentialSource }> {
  if (login)
    return {
      credential: new BasicCredential(login.username, login.password),
      source: { source: "flags", detail: "basic" },
    };
  const { ACRKIT_USERNAME: user, ACRKIT_PASSWORD: password } = io.env;
  if (user && password)
    return {
      credential: new BasicCredential(user, password),
      source: { source: "environment", detail: "basic (ACRKIT_USERNAME, ACRKIT_PASSWORD)" },
    };
  const configPath = io.env.DOCKER_CONFIG ? `${io.env.DOCKER_CONFIG.replace(/[\\/]$/, "")}/config.json` : undefined;
  const docker = await describeDockerLogin(host, { configPath });
  if (docker.source === "helper") {
    return {
      credential: new DockerConfigCredential({ configPath, requireCredential: true }),
      source: { source: "docker-config", detail: `helper docker-credential-${docker.helper} (${docker.path})` },
    };
  }
  if (docker.source === "auths" && docker.kind !== "empty") {
    return {
      credential: new DockerConfigCredential({ configPath, requireCredential: true }),
      source: { source: "docker-config", detail: `${docker.kind} (${docker.path})` },
    };
  }
  if (isAcrHost(host) || flag(args, "azure")) {
    return {
      credential: entraCredential(io.env),
      source: {
        source: "entra-id",
        detail: "DefaultAzureCredential (workload identity, managed identity, Azure CLI, Azure Developer CLI)",
      },
    };
  }
  return { credential: undefined, source: { source: "anonymous", detail: "no credential found" } };
}
