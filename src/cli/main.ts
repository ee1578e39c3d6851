/**
 * `acrkit`: dispatches the command line to one command, maps its failure to an exit code, and keeps stdout for results.
 * The commands load on demand, so `acrkit --version` starts without loading the library.
 * @module
 */
import { GLOBAL_OPTIONS, parseArgs, type OptionSpec } from "./args";
import type { Command } from "./command";
import type { CommandContext } from "./context";
import { ExitCode, UsageError } from "./exit-codes";
import type { CliIo } from "./io";
import { Output } from "./output";
import type { FetchLike } from "acrkit";

declare const ACRKIT_CLI_VERSION: string | undefined;

/** Every command, by name, loaded when used. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  ls: async () => (await import("./commands/ls")).ls,
  inspect: async () => (await import("./commands/inspect")).inspect,
  digest: async () => (await import("./commands/digest")).digest,
  exists: async () => (await import("./commands/exists")).exists,
  cp: async () => (await import("./commands/cp")).cp,
  tag: async () => (await import("./commands/tag")).tag,
  untag: async () => (await import("./commands/untag")).untag,
  rm: async () => (await import("./commands/rm")).rm,
  push: async () => (await import("./commands/push")).push,
  pull: async () => (await import("./commands/pull")).pull,
  blob: async () => (await import("./commands/blob")).blob,
  purge: async () => (await import("./commands/purge")).purge,
  props: async () => (await import("./commands/props")).props,
  login: async () => (await import("./commands/login")).login,
  logout: async () => (await import("./commands/logout")).logout,
  auth: async () => (await import("./commands/auth")).auth,
};

/** Options of {@link main} for tests. */
export interface MainOptions {
  /** The fetch every client uses (a counting or faulting one in tests). */
  fetch?: FetchLike;
}

/** Runs `acrkit` with `argv` (without the program name) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo, options: MainOptions = {}): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--version" || name === "-V" || name === "version") {
    await io.stdout.write(`${await version()}\n`);
    return ExitCode.ok;
  }
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    await io.stdout.write(await overview());
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    await io.stderr.write(`acrkit: unknown command ${JSON.stringify(name)}; see acrkit --help\n`);
    return ExitCode.usage;
  }
  const command = await load();
  let context: CommandContext | undefined;
  try {
    const args = parseArgs(rest, command.options);
    if (args.options.help === true) {
      await io.stdout.write(commandHelp(command));
      return ExitCode.ok;
    }
    // The context brings the library: loaded with the first command, not for --version or --help.
    const { CommandContext } = await import("./context");
    context = new CommandContext(args, io, options.fetch);
    return await command.run(args, context);
  } catch (error) {
    const output = context?.output ?? new Output(io, guessFormat(rest));
    const code = await output.error(io.signal.aborted ? io.signal.reason : error);
    if (error instanceof UsageError) await io.stderr.write(`usage: ${command.usage}\n`);
    return code;
  }
}

async function version(): Promise<string> {
  return typeof ACRKIT_CLI_VERSION === "string" ? ACRKIT_CLI_VERSION : (await import("acrkit")).VERSION;
}

/** The format asked for, read leniently when the command line itself failed to parse. */
function guessFormat(argv: readonly string[]): "text" | "json" | "jsonl" {
  for (let i = 0; i < argv.length; i++) {
    const value =
      argv[i] === "-o" || argv[i] === "--output" ? argv[i + 1] : /^(?:-o|--output=)(.+)$/.exec(argv[i]!)?.[1];
    if (value === "json" || value === "jsonl") return value;
  }
  return "text";
}

function optionLines(options: readonly OptionSpec[]): string {
  return options
    .map((option) => {
      const names = `${option.short ? `-${option.short}, ` : "    "}--${option.name}${option.value ? ` ${option.value}` : ""}`;
      return `  ${names.padEnd(34)} ${option.description}${option.type === "list" ? " (repeatable)" : ""}`;
    })
    .join("\n");
}

const EXIT_CODES = `Exit codes: 0 ok (an unchanged copy too), 1 other error, 2 usage (before any request), 3 not found,
4 authentication, 5 forbidden or locked, 6 rate-limited after retries, 7 verification failed,
8 partial failure (--keep-going), 130 interrupted.
`;

/** The help of one command. */
export function commandHelp(command: Command): string {
  return `usage: ${command.usage}\n\n${command.summary}\n${command.details ? `\n${command.details}\n` : ""}${
    command.options.length ? `\nOptions:\n${optionLines(command.options)}\n` : ""
  }\nGlobal options:\n${optionLines(GLOBAL_OPTIONS)}\n\n${EXIT_CODES}`;
}

async function overview(): Promise<string> {
  const commands = await Promise.all(Object.values(COMMANDS).map((load) => load()));
  const lines = commands
    .map((command) => `  ${command.usage.replace(/^acrkit /, "").padEnd(44)} ${command.summary}`)
    .join("\n");
  return `acrkit ${await version()}: Azure Container Registry and every OCI registry from the command line.

usage: acrkit COMMAND [options]

References: HOST[:PORT]/REPO[:TAG][@sha256:…], or oci:DIR[:TAG] for an OCI image layout.

Commands:
${lines}

Every command takes -o text|json|jsonl, -q, --debug and --help. Results go to stdout, progress and logs to stderr.
Credentials, first match: -u/-p, ACRKIT_USERNAME/ACRKIT_PASSWORD, docker's config, Entra ID for ACR hosts, anonymous.

${EXIT_CODES}`;
}
