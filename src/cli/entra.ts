/**
 * The Entra ID chain the CLI uses: DefaultAzureCredential, configured from the environment alone.
 * @module
 */
import { DefaultAzureCredential } from "acrkit/node";

const LOOPBACK = /^https?:\/\/(127\.[0-9.]+|\[::1\]|localhost)(:[0-9]+)?(\/|$)/i;

/**
 * DefaultAzureCredential (workload identity, managed identity, Azure CLI, Azure Developer CLI). An authority on this
 * machine (`AZURE_AUTHORITY_HOST` on loopback: a test or development authority Entra ID cannot know) is trusted as
 * it is, without instance discovery; a private cloud sets `ACRKIT_DISABLE_INSTANCE_DISCOVERY=1`.
 */
export function entraCredential(env: Record<string, string | undefined>): DefaultAzureCredential {
  const host = env.AZURE_AUTHORITY_HOST;
  const disableInstanceDiscovery =
    (host !== undefined && LOOPBACK.test(host)) || env.ACRKIT_DISABLE_INSTANCE_DISCOVERY === "1";
  return new DefaultAzureCredential({
    ...(host ? { authorityHost: host } : {}),
    ...(disableInstanceDiscovery ? { disableInstanceDiscovery } : {}),
  });
}
