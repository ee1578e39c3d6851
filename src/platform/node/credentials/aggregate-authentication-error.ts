/**
 * @module
 */
import { AcrkitError } from "../../../core/errors/acrkit-error";

/** One step of a credential chain and how it failed. */
export interface CredentialAttempt {
  /** The credential class that was tried, e.g. `"ManagedIdentityCredential"`. */
  credentialName: string;
  /** Why it did not produce a token. */
  error: Error;
}

/**
 * Every credential of a chain (such as `DefaultAzureCredential`) failed. The message lists each step with what it
 * tried and why it failed, one per line; {@link AggregateAuthenticationError.attempts} has the same as data.
 */
export class AggregateAuthenticationError extends AcrkitError {
  /** Always `"AggregateAuthenticationError"`, the class name; for logs and checks where `instanceof` does not work (e.g. across bundles). */
  override name = "AggregateAuthenticationError";
  /** The errors of every step, in order. */
  readonly errors: Error[];

  /**
   * @param chainName - the chain, e.g. `"DefaultAzureCredential"`
   * @param attempts - each step tried, in order, with its error
   */
  constructor(
    chainName: string,
    readonly attempts: CredentialAttempt[],
  ) {
    const lines = attempts.map((a) => `- ${a.credentialName}: ${a.error.message}`);
    super(`${chainName} failed to get a token. Tried:\n${lines.join("\n")}`);
    this.errors = attempts.map((a) => a.error);
  }
}
