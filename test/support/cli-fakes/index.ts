/**
 * Fake command-line tools (`az`, `azd`, `docker-credential-*`) for the credential tests: small executables in a
 * temporary folder that the test puts first on `PATH`. Each prints what the test installed (see outputs.ts for
 * what the real tools print), records its arguments and standard input, and can be made slow.
 * @module
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

/** What a fake prints and how it ends. */
export interface FakeBehaviour {
  stdout?: string;
  stderr?: string;
  /** Default 0. */
  exitCode?: number;
  /** Sleeps this long before answering (for timeouts). */
  sleepSeconds?: number;
}

/** One run of a fake. */
export interface FakeCall {
  args: string[];
  stdin: string;
}

/** A folder of fake tools. */
export interface FakeTools {
  /** The folder holding the executables. */
  readonly dir: string;
  /** Creates or changes the fake `name`. */
  install(name: string, behaviour: FakeBehaviour): void;
  /** Every run of `name` so far, oldest first. */
  calls(name: string): FakeCall[];
  /** Puts the folder first on `PATH` (or makes it the whole `PATH`), returning a function that restores it. */
  usePath(options?: { only?: boolean }): () => void;
  /** Deletes the folder. */
  remove(): void;
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** A shell script that records its run, then answers from the files next to it. */
function script(dir: string, name: string): string {
  const file = (suffix: string) => quote(join(dir, `${name}.${suffix}`));
  return [
    "#!/bin/sh",
    // The test may make the fakes' folder the whole PATH; the script's own tools come from the system.
    "PATH=/usr/bin:/bin; export PATH",
    "input=$(cat)",
    // One line per run: stdin, RS, then each argument followed by US.
    `{ printf '%s\\036' "$input"; printf '%s\\037' "$@"; printf '\\n'; } >> ${file("calls")}`,
    `if [ -s ${file("sleep")} ]; then sleep "$(cat ${file("sleep")})"; fi`,
    `cat ${file("stdout")}`,
    `cat ${file("stderr")} >&2`,
    `exit "$(cat ${file("exit")})"`,
    "",
  ].join("\n");
}

/** Creates an empty folder for fake tools. */
export function createFakeTools(): FakeTools {
  const dir = mkdtempSync(join(tmpdir(), "acrkit-fake-tools-"));
  return {
    dir,
    install(name, behaviour) {
      writeFileSync(join(dir, `${name}.stdout`), behaviour.stdout ?? "");
      writeFileSync(join(dir, `${name}.stderr`), behaviour.stderr ?? "");
      writeFileSync(join(dir, `${name}.exit`), String(behaviour.exitCode ?? 0));
      writeFileSync(join(dir, `${name}.sleep`), behaviour.sleepSeconds ? String(behaviour.sleepSeconds) : "");
      const path = join(dir, name);
      writeFileSync(path, script(dir, name));
      chmodSync(path, 0o755);
    },
    calls(name) {
      let text: string;
      try {
        text = readFileSync(join(dir, `${name}.calls`), "utf8");
      } catch {
        return [];
      }
      return text
        .split("\n")
        .filter(Boolean)
        .map((line) => {
          const [stdin, rest] = line.split("\u001e");
          return { stdin, args: rest.split("\u001f").slice(0, -1) };
        });
    },
    usePath(options = {}) {
      const previous = process.env.PATH;
      process.env.PATH = options.only ? dir : `${dir}${delimiter}${previous ?? ""}`;
      return () => {
        if (previous === undefined) delete process.env.PATH;
        else process.env.PATH = previous;
      };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
