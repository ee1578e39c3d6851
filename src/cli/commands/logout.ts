/**
 * `acrkit logout REGISTRY`: removes the registry's login from docker's config (or its credential helper).
 * @module
 */
import { removeDockerLogin } from "acrkit/node";
import { positionals } from "../args";
import type { Command } from "../command";
import { UsageError } from "../exit-codes";
import { parseReference } from "../references";

/** The `logout` command. */
export const logout: Command = {
  name: "logout",
  summary: "remove a registry login from docker's config (or its credential helper)",
  usage: "acrkit logout REGISTRY",
  options: [],
  async run(args, context) {
    const [text] = positionals(args, 1, logout.usage);
    const target = parseReference(text!);
    if (target.kind !== "registry" || target.repository !== undefined)
      throw new UsageError(`logout takes a registry host, got ${JSON.stringify(text)}`);
    const configPath = context.io.env.DOCKER_CONFIG
      ? `${context.io.env.DOCKER_CONFIG.replace(/[\\/]$/, "")}/config.json`
      : undefined;
    const where = await removeDockerLogin(target.registry, { configPath });
    await context.output.result(
      { registry: target.registry, removed: where },
      () =>
        `Login for ${target.registry} removed from ${where.store === "helper" ? `docker-credential-${where.helper}` : where.path}`,
    );
    return 0;
  },
};
