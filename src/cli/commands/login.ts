/**
 * `acrkit login REGISTRY`: checks a login against the registry, then stores it in docker's config (or the credential
 * helper the config names), where docker, skopeo, crane and oras find it too. With --azure or an ACR host and no
 * user, the Entra ID chain's ACR refresh token is stored as docker's identitytoken, as `az acr login` does.
 * @module
 */
import { getAcrRefreshToken, registryEndpoint, storeDockerLogin, type DockerLogin } from "acrkit/node";
import { entraCredential } from "../entra";
import { positionals } from "../args";
import type { Command } from "../command";
import { flagLogin, isAcrHost } from "../credentials";
import { UsageError } from "../exit-codes";
import { parseReference } from "../references";

/** The `login` command. */
export const login: Command = {
  name: "login",
  summary: "store a registry login in docker's config (or its credential helper)",
  usage: "acrkit login REGISTRY [-u USER (-p PASS | --password-stdin)] [--azure]",
  details:
    "The login is tried first (one authenticated request); a refused login is not stored. The secret is never printed.",
  options: [],
  async run(args, context) {
    const [text] = positionals(args, 1, login.usage);
    const target = parseReference(text!);
    if (target.kind !== "registry" || target.repository !== undefined)
      throw new UsageError(`login takes a registry host, got ${JSON.stringify(text)}`);
    const host = target.registry;
    const given = await flagLogin(args, context.io);
    let stored: DockerLogin;
    if (given) {
      stored = given;
    } else if (isAcrHost(host) || args.options.azure === true) {
      const { refreshToken } = await getAcrRefreshToken(registryEndpoint(host), entraCredential(context.io.env), {
        fetch: context.fetch,
        signal: context.io.signal,
      });
      stored = { identityToken: refreshToken };
    } else {
      throw new UsageError("login needs -u USER with -p PASS or --password-stdin (or --azure for Entra ID)");
    }
    // The login is checked before it is kept: the client authenticates with exactly this credential.
    const client = await context.client(host);
    for await (const _ of client.listRepositoryNames({ signal: context.io.signal }).byPage({ maxPageSize: 1 })) break;
    const configPath = context.io.env.DOCKER_CONFIG
      ? `${context.io.env.DOCKER_CONFIG.replace(/[\\/]$/, "")}/config.json`
      : undefined;
    const where = await storeDockerLogin(host, stored, { configPath });
    await context.output.result(
      { registry: host, stored: where },
      () =>
        `Login for ${host} stored in ${where.store === "helper" ? `docker-credential-${where.helper}` : where.path}`,
    );
    return 0;
  },
};
