/**
 * Whether acrkit/node sends on node:http(s) by default: on Node itself, unless Node is told to send through the
 * proxy of the environment, which Node does for fetch and its global agents but not for an agent of acrkit's own.
 * @module
 */

interface Scope {
  Deno?: unknown;
  Bun?: unknown;
  process?: {
    versions?: Record<string, string | undefined>;
    env?: Record<string, string | undefined>;
    execArgv?: string[];
  };
}

/**
 * True on Node, false on Deno and Bun (both load acrkit/node and offer node:http as an emulation on their own HTTP
 * stacks; their native fetch is what they are fast at), and false when NODE_USE_ENV_PROXY or --use-env-proxy asks
 * Node (24 and later) to send through HTTP_PROXY/HTTPS_PROXY.
 */
export function sendsOnNodeHttp(): boolean {
  const scope = globalThis as Scope;
  const versions = scope.process?.versions;
  if (!versions?.node || versions.bun || versions.deno || scope.Deno !== undefined || scope.Bun !== undefined)
    return false;
  const proxied = scope.process?.env?.NODE_USE_ENV_PROXY;
  return !(proxied && proxied !== "0") && !scope.process?.execArgv?.includes("--use-env-proxy");
}
