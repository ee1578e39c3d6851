/**
 * Starts one matrix target: docker-registry 2.8.2 or an emulator profile, with a Basic user, and a fault proxy in
 * front of it for the cells that need a cut connection.
 * @module
 */
import type { Emulator, EmulatorOptions } from "../../../src/emulator/index";
import { BasicCredential, ContainerRegistryClient, type RequestLogEntry } from "../../../src/index";
import { startDockerRegistry } from "../../support/docker-registry";
import { startEmulator } from "../../support/emulator";
import { startFaultProxy, type FaultProxy } from "../../support/fault-proxy";
import type { Target } from "./expectations";

const USER = { username: "conformance", password: "conformance-password" };

/** A running target: a client factory (a fresh client meets the registry on first contact), the proxy, the emulator. */
export interface RunningTarget {
  url: string;
  proxy: FaultProxy;
  emulator: Emulator | undefined;
  /**
   * A new client with its own log; every cell starts with one, so each meets the registry's refusals itself.
   * `proxied` puts the fault proxy between it and the registry.
   */
  client(proxied?: boolean): { client: ContainerRegistryClient; log: RequestLogEntry[] };
  close(): Promise<void>;
}

/** Starts `target`; `options` go to the emulator (e.g. a rate limit). */
export async function startTarget(target: Target, options: EmulatorOptions = {}): Promise<RunningTarget> {
  let upstream: string;
  let stop: () => Promise<void>;
  let emulator: Emulator | undefined;
  if (target.server === "docker-registry") {
    const registry = await startDockerRegistry({ htpasswd: { [USER.username]: USER.password } });
    upstream = registry.url;
    stop = registry.stop;
  } else {
    const started = await startEmulator({
      users: { [USER.username]: USER.password },
      profile: target.server,
      ...options,
    });
    upstream = started.url;
    stop = started.close;
    emulator = started.emulator;
  }
  const proxy = await startFaultProxy({ upstream, seed: 19 });
  return {
    url: upstream,
    proxy,
    emulator,
    client(proxied = false) {
      const log: RequestLogEntry[] = [];
      const client = new ContainerRegistryClient(
        proxied ? proxy.url : upstream,
        new BasicCredential(USER.username, USER.password),
        {
          logger: (entry) => log.push(entry),
        },
      );
      return { client, log };
    },
    async close() {
      await proxy.close();
      await stop();
    },
  };
}
