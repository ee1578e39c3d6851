/**
 * MSAL-node's client-assertion flow, shared by the credentials that sign in with a federated token; MSAL is loaded
 * on the first token request.
 * @module
 */
import type { GetTokenOptions } from "../../../core/auth/credential";
import { raceSignal } from "../../../core/utils/abort";
import { createdOnFirstUse } from "./created-on-first-use";
import {
  type MsalAccessToken,
  type MsalNodeCredentialOptions,
  authorityConfig,
  authorityForTenant,
  checkTenantId,
  normalizeScopes,
  systemConfig,
  toAccessToken,
  wrapError,
} from "./msal-node-common";
import { loadMsalNode } from "./msal-node-loader";

/** Gets tokens for scopes; what a credential's `getToken` delegates to. */
export type TokenSource = (scopes: string | string[], options?: GetTokenOptions) => Promise<MsalAccessToken>;

/**
 * A token source for an app that proves itself with the assertion `getAssertion` returns, asked anew each time
 * MSAL has to go to Entra ID (an assertion expires, and token files rotate). Errors name `credentialName` and never
 * hold the assertion.
 */
export function assertionTokenSource(
  credentialName: string,
  tenantId: string,
  clientId: string,
  getAssertion: () => Promise<string>,
  options: MsalNodeCredentialOptions,
): TokenSource {
  checkTenantId(tenantId, credentialName);
  if (!clientId || typeof clientId !== "string") throw new TypeError(`${credentialName} needs a client id`);
  if (typeof getAssertion !== "function") throw new TypeError(`${credentialName} needs a getAssertion function`);
  let lastAssertion: string | undefined;
  const clientAssertion = async () => {
    const assertion = await getAssertion();
    if (typeof assertion !== "string" || assertion.length === 0) throw new Error("no client assertion was given");
    lastAssertion = assertion;
    return assertion;
  };
  const auth = { clientId, clientAssertion, ...authorityConfig(tenantId, options) };
  const application = createdOnFirstUse(async () => {
    const { ConfidentialClientApplication } = await loadMsalNode(credentialName);
    return new ConfidentialClientApplication({ auth, system: systemConfig(options) });
  });
  return async (scopes, getTokenOptions) => {
    const request = {
      scopes: normalizeScopes(scopes, credentialName),
      authority: authorityForTenant(getTokenOptions, tenantId, options, credentialName),
    };
    try {
      const app = await raceSignal(application(), getTokenOptions?.abortSignal);
      return toAccessToken(
        await raceSignal(app.acquireTokenByClientCredential(request), getTokenOptions?.abortSignal),
        credentialName,
      );
    } catch (err) {
      throw wrapError(err, credentialName, [lastAssertion]);
    }
  };
}
