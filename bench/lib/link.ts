/**
 * Starts the link model (bench/servers/link-proxy.ts) in front of a registry, in a child process.
 * @module
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { LinkShape } from "./link-shape";
import { ROOT } from "./spawn";

export type { LinkShape } from "./link-shape";

/** A running link proxy. */
export interface RunningLink {
  /** `127.0.0.1:<port>`: connect here to reach the target through the link. */
  host: string;
  shape: LinkShape;
  close(): Promise<void>;
}

/** Starts a link proxy to `target` (`host:port`) and waits until it listens. */
export async function startLink(target: string, shape: LinkShape): Promise<RunningLink> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "bench/servers/link-proxy.ts", target, JSON.stringify(shape)],
    {
      cwd: ROOT,
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const host = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the link proxy did not start within 30 s")), 30_000);
    createInterface({ input: child.stdout! }).once("line", (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { host: string }).host);
    });
    child.once("exit", (code) => reject(new Error(`the link proxy exited with ${code}`)));
  });
  return {
    host,
    shape,
    close: () => {
      process.removeListener("exit", killOnExit);
      if (child.exitCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.stdin!.end();
      });
    },
  };
}
