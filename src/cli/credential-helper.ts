/**
 * `docker-credential-acrkit`: docker's credential-helper protocol backed by the Entra ID chain. `get` reads a
 * registry on stdin and answers an ACR refresh token (user `00000000-0000-0000-0000-000000000000`), so docker,
 * skopeo, crane and oras reach ACR with workload identity, managed identity or az without `docker login`.
 * Nothing is stored: `store` and `erase` accept and keep nothing, `list` is empty.
 * @module
 */
import { getAcrRefreshToken, registryEndpoint, type FetchLike } from "acrkit/node";
import { entraCredential } from "./entra";
import type { CliIo } from "./io";

/** The user name ACR's refresh tokens go with, in docker's config and in `az acr login`. */
const REFRESH_TOKEN_USER = "00000000-0000-0000-0000-000000000000";

/** Runs one helper action; returns the exit code. */
export async function credentialHelper(
  argv: readonly string[],
  io: CliIo,
  options: { fetch?: FetchLike } = {},
): Promise<number> {
  const [action] = argv;
  const input = async () => (await new Response(io.stdin()).text()).trim();
  try {
    switch (action) {
      case "get": {
        const server = await input();
        const host = server
          .replace(/^[a-z][a-z0-9+.-]*:\/\//i, "")
          .split("/")[0]!
          .toLowerCase();
        if (host === "") throw new Error("get needs the registry on stdin");
        const { refreshToken } = await getAcrRefreshToken(registryEndpoint(host), entraCredential(io.env), {
          fetch: options.fetch,
          signal: io.signal,
        });
        await io.stdout.write(
          `${JSON.stringify({ ServerURL: server, Username: REFRESH_TOKEN_USER, Secret: refreshToken })}\n`,
        );
        return 0;
      }
      case "store":
      case "erase":
        await input();
        return 0;
      case "list":
        await io.stdout.write("{}\n");
        return 0;
      case "version":
      case "--version":
        await io.stdout.write(`docker-credential-acrkit ${(await import("acrkit")).VERSION}\n`);
        return 0;
      default:
        await io.stderr.write("usage: docker-credential-acrkit get|store|erase|list (the registry on stdin)\n");
        return 2;
    }
  } catch (error) {
    // Docker reads a helper's error from stdout; the message never holds a token.
    const unavailable = ["CredentialUnavailableError", "AggregateAuthenticationError"].includes((error as Error).name);
    await io.stdout.write(`${unavailable ? "credentials not found: " : ""}${(error as Error).message}\n`);
    return 1;
  }
}
