/**
 * The shape of a command: its name, usage, options and what it runs.
 * @module
 */
import type { OptionSpec, ParsedArgs } from "./args";
import type { CommandContext } from "./context";

/** One `acrkit` command. */
export interface Command {
  /** The word that selects it (`ls`, `cp`, …). */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The usage line, e.g. `acrkit cp SRC DST`. */
  usage: string;
  /** Longer help: what it does, and what to know. */
  details?: string;
  /** The options it takes, besides the global ones. */
  options: readonly OptionSpec[];
  /** Runs it; resolves with the exit code (failures throw and are mapped by exit-codes.ts). */
  run(args: ParsedArgs, context: CommandContext): Promise<number>;
}
