/**
 * Starts an acrkit emulator on an ephemeral loopback port for a test.
 * @module
 */
import {
  createEmulator,
  type Emulator,
  type EmulatorOptions,
  type EmulatorServer,
  type ListenOptions,
} from "../../src/emulator/index";

/** A running emulator: the instance, its server, its URL and login server, and a way to stop it. */
export interface StartedEmulator {
  emulator: Emulator;
  server: EmulatorServer;
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  /** The default login server: `127.0.0.1:<port>`, the `service` of challenges and tokens. */
  service: string;
  close(): Promise<void>;
}

/**
 * Creates an emulator and serves it on 127.0.0.1 with a free port.
 *
 * `options.profile` picks a registry's upload behaviour; `tls` serves HTTPS (the URL then starts with https://).
 */
export async function startEmulator(options?: EmulatorOptions, tls?: ListenOptions["tls"]): Promise<StartedEmulator> {
  const emulator = createEmulator(options);
  const server = await emulator.listen({ host: "127.0.0.1", port: 0, ...(tls ? { tls } : {}) });
  return {
    emulator,
    server,
    url: server.url,
    service: options?.loginServer ?? new URL(server.url).host,
    close: () => server.close(),
  };
}
