/**
 * What every view shares: the connected client and the status line.
 * @module
 */
import type { ContainerRegistryClient } from "acrkit/browser";
import { byId } from "./dom";
import { describeError } from "./format";

/** The connection the views work with. */
export interface Session {
  client: ContainerRegistryClient;
  /** The registry URL, as typed. */
  registry: string;
  /** Whether the session has credentials (writes need them on most registries). */
  signedIn: boolean;
}

/** Shows a message in the status line; errors are styled as such. */
export function announce(message: string, kind: "info" | "success" | "error" = "info"): void {
  const status = byId("status");
  status.textContent = message;
  status.dataset.kind = kind;
}

/** Runs an action, announcing its failure instead of leaving an unhandled rejection. */
export async function attempt<T>(what: string, action: () => Promise<T>): Promise<T | undefined> {
  try {
    return await action();
  } catch (error) {
    announce(`${what} failed: ${describeError(error)}`, "error");
    return undefined;
  }
}
