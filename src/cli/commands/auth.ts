/**
 * `acrkit auth explain REGISTRY`: which source of the credential chain authenticates the registry, with no secret;
 * `--check` also tries it with one request.
 * @module
 */
import { flag, positionals } from "../args";
import type { Command } from "../command";
import { UsageError } from "../exit-codes";
import { parseReference } from "../references";

/** The `auth` command. */
export const auth: Command = {
  name: "auth",
  summary: "say which credential source authenticates a registry (no secret shown)",
  usage: "acrkit auth explain REGISTRY [--check]",
  details:
    "The chain, first match: -u/-p flags, ACRKIT_USERNAME/ACRKIT_PASSWORD, docker's config (auths, identitytoken, credHelpers, credsStore), Entra ID (DefaultAzureCredential) for *.azurecr.io or with --azure, anonymous.",
  options: [{ name: "check", type: "boolean", description: "also authenticate with it (one request)" }],
  async run(args, context) {
    const [action, text] = positionals(args, 2, auth.usage);
    if (action !== "explain")
      throw new UsageError(`auth takes explain, got ${JSON.stringify(action)}. Usage: ${auth.usage}`);
    const target = parseReference(text!);
    if (target.kind !== "registry" || target.repository !== undefined)
      throw new UsageError(`auth explain takes a registry host, got ${JSON.stringify(text)}`);
    const source = await context.credentialSource(target.registry);
    let checked: boolean | undefined;
    if (flag(args, "check")) {
      const client = await context.client(target.registry);
      for await (const _ of client.listRepositoryNames({ signal: context.io.signal }).byPage({ maxPageSize: 1 })) break;
      checked = true;
    }
    await context.output.result(
      { registry: target.registry, ...source, ...(checked ? { checked } : {}) },
      () => `${target.registry}: ${source.source} (${source.detail})${checked ? ", authenticated" : ""}`,
    );
    return 0;
  },
};
