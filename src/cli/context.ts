/**
 * What every command runs with: the parsed arguments, the output, the progress switch, and one client per registry
 * host with the credential the chain found for it.
 * @module
 */
import { ContainerRegistryClient, registryEndpoint, type FetchLike } from "acrkit/node";
import { flag, integerOption, type ParsedArgs } from "./args";
import { flagLogin, resolveCredential, type CredentialSource } from "./credentials";
import type { CliIo } from "./io";
import { manifestCachingFetch } from "./manifest-cache";
import { formatOf, Output } from "./output";
import { startProgress, type Progress } from "./progress";
import { throttledFetch } from "./throttle";
import { tokenScopeFetch } from "./token-scopes";

/** The default of --concurrency: how many transfers and requests run at once per registry. */
export const DEFAULT_CLI_CONCURRENCY = 8;

/** A command's run-time context. */
export class CommandContext {
  readonly output: Output;
  readonly quiet: boolean;
  readonly debug: boolean;
  readonly concurrency: number;
  readonly #clients = new Map<string, Promise<ContainerRegistryClient>>();
  readonly #sources = new Map<string, CredentialSource>();
  readonly #scopes = new Map<string, Set<string>>();
  #login: Promise<{ username: string; password: string } | undefined> | undefined;

  constructor(
    readonly args: ParsedArgs,
    readonly io: CliIo,
    /** The fetch clients use; tests may put a counting one here. */
    readonly fetch: FetchLike = (request) => globalThis.fetch(request),
  ) {
    this.output = new Output(io, formatOf(args));
    this.quiet = flag(args, "quiet");
    this.debug = flag(args, "debug");
    this.concurrency = integerOption(args, "concurrency", DEFAULT_CLI_CONCURRENCY, 1, 256)!;
  }

  /** A note for people on stderr (not with -q). */
  async note(text: string): Promise<void> {
    if (!this.quiet) await this.io.stderr.write(`${text}\n`);
  }

  /** A progress reporter on stderr. */
  progress(label: string): Progress {
    return startProgress(this.io, label, this.quiet);
  }

  /** The client of a registry host (`host[:port]`), made once per run. */
  client(host: string): Promise<ContainerRegistryClient> {
    let client = this.#clients.get(host);
    if (!client) {
      client = this.#makeClient(host);
      this.#clients.set(host, client);
    }
    return client;
  }

  /**
   * Declares the access a command will need of a registry (`repository:team/app:pull,push`), so that its first token
   * is asked for all of it and serves the later requests.
   */
  declareScopes(host: string, ...scopes: string[]): void {
    const set = this.#scopes.get(host) ?? new Set<string>();
    for (const scope of scopes) set.add(scope);
    this.#scopes.set(host, set);
  }

  /** Which source of the chain authenticated `host` (after {@link CommandContext.client}). */
  async credentialSource(host: string): Promise<CredentialSource> {
    await this.client(host);
    return this.#sources.get(host)!;
  }

  async #makeClient(host: string): Promise<ContainerRegistryClient> {
    this.#login ??= flagLogin(this.args, this.io);
    const { credential, source } = await resolveCredential(host, this.args, this.io, await this.#login);
    this.#sources.set(host, source);
    const stderr = this.io.stderr;
    return new ContainerRegistryClient(registryEndpoint(host), credential, {
      fetch: tokenScopeFetch(manifestCachingFetch(throttledFetch(this.fetch, this.concurrency)), () => [
        ...(this.#scopes.get(host) ?? []),
      ]),
      concurrency: this.concurrency,
      retry: { limit: 6, maxElapsedMs: 300_000 },
      userAgent: "acrkit-cli",
      logger: this.debug
        ? (entry) =>
            void stderr.write(`${entry.method} ${entry.url} ${entry.status} ${Math.round(entry.durationMs)}ms\n`)
        : undefined,
      onWarning: (warning) => void (this.quiet ? undefined : stderr.write(`warning: ${host}: ${warning.text}\n`)),
    });
  }
}
