/**
 * The access scopes of the registry token protocol: `type:name:action[,action]`, several separated by spaces.
 * @module
 */

/** An action on a repository, as ACR and the distribution token spec name them. */
export type RepositoryAction = "pull" | "push" | "delete" | "metadata_read" | "metadata_write";

/** The scope for actions on one repository, e.g. `repository:team/app:pull,push`. */
export function repositoryScope(repository: string, ...actions: RepositoryAction[]): string {
  return `repository:${repository}:${actions.join(",")}`;
}

/** The scope for listing the registry's repositories. */
export const CATALOG_SCOPE = "registry:catalog:*";

/** Splits a scope string of several resource scopes into its parts. */
export function splitScopes(scope: string): string[] {
  return scope.split(/\s+/).filter(Boolean);
}

/**
 * The scopes of `needed` plus those of `asked` (a challenge's `scope`), each once: a token for what the challenge asks
 * alone could lack what the request needs (a challenge learned on a pull, reused for a push).
 */
export function mergeScopes(needed: string, asked: string | undefined): string {
  return [...new Set([...splitScopes(needed), ...splitScopes(asked ?? "")])].join(" ");
}
