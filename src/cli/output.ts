/**
 * Results on stdout in the chosen format: `text` for people, `json` (one document, the library's field names),
 * `jsonl` (one line per item, written as items arrive); and errors, which `-o json` also puts on stdout as one object.
 * @module
 */
import { stringOption, type ParsedArgs } from "./args";
import { ExitCode, exitCodeOf, kindOf, UsageError } from "./exit-codes";
import type { CliIo } from "./io";

/** The result formats. */
export type Format = "text" | "json" | "jsonl";

/** The format `-o` asks for. */
export function formatOf(args: ParsedArgs): Format {
  const value = stringOption(args, "output") ?? "text";
  if (value !== "text" && value !== "json" && value !== "jsonl")
    throw new UsageError(`-o must be text, json or jsonl, got ${JSON.stringify(value)}`);
  return value;
}

/** Serializes a model: Dates as ISO strings, bytes left out, undefined fields dropped. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (item instanceof Uint8Array ? undefined : item));
}

/** Writes results. */
export class Output {
  constructor(
    readonly io: CliIo,
    readonly format: Format,
  ) {}

  /** One whole result: JSON (json and jsonl alike), or the text the command renders. */
  async result(value: unknown, text: () => string): Promise<void> {
    if (this.format === "text") {
      const rendered = text();
      if (rendered !== "") await this.io.stdout.write(rendered.endsWith("\n") ? rendered : `${rendered}\n`);
      return;
    }
    await this.io.stdout.write(`${toJson(value)}\n`);
  }

  /**
   * Writes a listing as it is produced: a line each in text and jsonl (before the next page is asked for), one
   * `{ "<key>": [...] }` document in json.
   */
  async list<T>(key: string, items: AsyncIterable<T> | Iterable<T>, text: (item: T) => string): Promise<number> {
    const collected: T[] = [];
    let count = 0;
    for await (const item of items) {
      count++;
      if (this.format === "json") collected.push(item);
      else await this.io.stdout.write(`${this.format === "jsonl" ? toJson(item) : text(item)}\n`);
    }
    if (this.format === "json") await this.io.stdout.write(`${toJson({ [key]: collected })}\n`);
    return count;
  }

  /** Writes an error: the text on stderr always, and in json formats the `{"error": {...}}` object on stdout. */
  async error(error: unknown): Promise<number> {
    const code = exitCodeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    await this.io.stderr.write(`acrkit: ${message}\n`);
    // A batch's partial failure has its result document already, with its failed items: json keeps one document.
    if (this.format === "jsonl" || (this.format === "json" && code !== ExitCode.partial)) {
      const shape = error as { statusCode?: number; code?: string; name?: string };
      const body: Record<string, unknown> = { code, kind: kindOf(code), message };
      if (typeof shape?.name === "string") body.class = shape.name;
      if (typeof shape?.statusCode === "number") body.statusCode = shape.statusCode;
      if (typeof shape?.code === "string") body.registryCode = shape.code;
      await this.io.stdout.write(`${toJson({ error: body })}\n`);
    }
    return code;
  }
}
