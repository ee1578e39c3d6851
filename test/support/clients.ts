/**
 * Clients and credentials for tests: one of each credential kind, and a logger that keeps every line.
 * @module
 */
import {
  BasicCredential,
  ContainerRegistryClient,
  type ContainerRegistryClientOptions,
  type RequestLogEntry,
  type TokenCredential,
} from "../../src/index";

/** A TokenCredential that hands out a fixed AAD token and counts its calls (the emulator accepts any by default). */
export function countingTokenCredential(token = "aad-token-for-tests"): TokenCredential & { calls: number } {
  const credential = {
    calls: 0,
    async getToken() {
      credential.calls++;
      return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
  return credential;
}

/** The admin user the tests configure on the emulator. */
export const ADMIN = { username: "admin", password: "admin-password-for-tests" } as const;

/** The credential kinds every metadata test runs with. */
export const CREDENTIAL_KINDS = ["token", "basic"] as const;

/** A client with the named credential kind, keeping its log lines in `log`. */
export function clientFor(
  url: string,
  kind: "token" | "basic" | "anonymous",
  options: ContainerRegistryClientOptions = {},
): { client: ContainerRegistryClient; log: RequestLogEntry[] } {
  const log: RequestLogEntry[] = [];
  const credential =
    kind === "token"
      ? countingTokenCredential()
      : kind === "basic"
        ? new BasicCredential(ADMIN.username, ADMIN.password)
        : undefined;
  const client = new ContainerRegistryClient(url, credential, { logger: (entry) => log.push(entry), ...options });
  return { client, log };
}
