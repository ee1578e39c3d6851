/**
 * Command-line parsing: `--name value`, `--name=value`, `-x value`, booleans, repeatable options and `--`.
 * Everything is checked before a command sends any request; a mistake is a {@link UsageError} (exit 2).
 * @module
 */
import { UsageError } from "./exit-codes";

/** One option a command accepts. */
export interface OptionSpec {
  /** The long name, without dashes. */
  name: string;
  /** A one-letter alias. */
  short?: string;
  /** boolean: a flag; string: one value; list: repeatable. */
  type: "boolean" | "string" | "list";
  /** For --help: the value's placeholder. */
  value?: string;
  /** For --help. */
  description: string;
}

/** Parsed arguments: positionals and options by long name. */
export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | boolean | string[] | undefined>;
}

/** Options every command takes. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  {
    name: "output",
    short: "o",
    type: "string",
    value: "text|json|jsonl",
    description: "result format on stdout (default text)",
  },
  { name: "quiet", short: "q", type: "boolean", description: "no progress or notes on stderr, only errors" },
  { name: "debug", type: "boolean", description: "log every request (method, URL without secrets, status) on stderr" },
  {
    name: "username",
    short: "u",
    type: "string",
    value: "USER",
    description: "registry user (else ACRKIT_USERNAME, docker config, Entra ID for ACR)",
  },
  {
    name: "password",
    short: "p",
    type: "string",
    value: "PASS",
    description: "registry password (prefer --password-stdin or ACRKIT_PASSWORD)",
  },
  { name: "password-stdin", type: "boolean", description: "read the password from stdin" },
  {
    name: "azure",
    type: "boolean",
    description:
      "use the Entra ID chain (DefaultAzureCredential) for this registry even if its host is not *.azurecr.io",
  },
  { name: "help", short: "h", type: "boolean", description: "this help" },
];

/** Parses `argv` against the command's options and the global ones. */
export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  // A command's own option wins over a global one of the same letter (pull's -o DIR).
  const all = [...GLOBAL_OPTIONS, ...specs];
  const byName = new Map(all.map((spec) => [spec.name, spec]));
  const byShort = new Map(all.filter((spec) => spec.short).map((spec) => [spec.short!, spec]));
  const result: ParsedArgs = { positionals: [], options: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      result.positionals.push(...argv.slice(i + 1));
      break;
    }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
      spec = byName.get(name);
      if (!spec && name.startsWith("no-") && byName.get(name.slice(3))?.type === "boolean") {
        result.options[name.slice(3)] = false;
        continue;
      }
      if (!spec) throw new UsageError(`Unknown option --${name}`);
    } else if (arg.startsWith("-") && arg.length > 1) {
      spec = byShort.get(arg.slice(1, 2));
      if (!spec) throw new UsageError(`Unknown option ${arg}`);
      if (arg.length > 2) inline = arg.slice(2);
    } else {
      result.positionals.push(arg);
      continue;
    }
    if (spec.type === "boolean") {
      if (inline !== undefined && !/^(true|false)$/.test(inline))
        throw new UsageError(`--${spec.name} takes no value, got ${JSON.stringify(inline)}`);
      result.options[spec.name] = inline === undefined ? true : inline === "true";
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined)
      throw new UsageError(`--${spec.name} needs a value${spec.value ? ` (${spec.value})` : ""}`);
    if (spec.type === "list")
      result.options[spec.name] = [...((result.options[spec.name] as string[] | undefined) ?? []), value];
    else result.options[spec.name] = value;
  }
  return result;
}

/** A string option, or undefined. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options[name];
  return typeof value === "string" ? value : undefined;
}

/** A list option, empty when not given. */
export function listOption(args: ParsedArgs, name: string): string[] {
  const value = args.options[name];
  return Array.isArray(value) ? value : [];
}

/** A boolean option. */
export function flag(args: ParsedArgs, name: string): boolean {
  return args.options[name] === true;
}

/** A positive integer option within bounds, or the default. */
export function integerOption(
  args: ParsedArgs,
  name: string,
  fallback: number | undefined,
  min = 1,
  max = 1_000_000,
): number | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || value < min || value > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return value;
}

/** Exactly `count` positionals (or at least `count` with `atLeast`), else a usage error naming the usage line. */
export function positionals(args: ParsedArgs, count: number, usage: string, atLeast = false): string[] {
  const got = args.positionals.length;
  if (atLeast ? got < count : got !== count)
    throw new UsageError(
      `Expected ${atLeast ? "at least " : ""}${count} argument${count === 1 ? "" : "s"}, got ${got}. Usage: ${usage}`,
    );
  return args.positionals;
}
