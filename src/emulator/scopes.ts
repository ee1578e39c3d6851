/**
 * Docker-token access entries (`type:name:action[,action]`) and the rules that compare them.
 * @module
 */

/** One entry of a token's `access` list, or one resource scope of a challenge. */
export interface AccessEntry {
  /** `repository` or `registry`; `*` in a permission matches any type. */
  type: string;
  /** The repository name, or `catalog`; `*` in a permission matches any name. */
  name: string;
  /** Actions such as `pull`, `push`, `delete`, `metadata_read`, `metadata_write`, or `*` for all. */
  actions: string[];
}

/** Everything on every resource: AAD identities and admin users. */
export const FULL_ACCESS: readonly AccessEntry[] = [{ type: "*", name: "*", actions: ["*"] }];

/** Parses one or more space-separated scopes; malformed ones are skipped, as token servers do. */
export function parseScopes(value: string): AccessEntry[] {
  const entries: AccessEntry[] = [];
  for (const scope of value.split(" ")) {
    const parts = scope.split(":");
    if (parts.length < 3) continue;
    const type = parts[0]!;
    const actions = parts[parts.length - 1]!.split(",").filter((action) => action.length > 0);
    // Names cannot hold colons in the OCI grammar, but a registry host with a port can appear in foreign scopes.
    const name = parts.slice(1, -1).join(":");
    if (type && name && actions.length > 0) entries.push({ type, name, actions });
  }
  return entries;
}

/** Formats entries as a challenge's `scope` value: resources separated by spaces. */
export function formatScopes(entries: readonly AccessEntry[]): string {
  return entries.map((entry) => `${entry.type}:${entry.name}:${entry.actions.join(",")}`).join(" ");
}

function covers(entry: AccessEntry, type: string, name: string): boolean {
  return (entry.type === "*" || entry.type === type) && (entry.name === "*" || entry.name === name);
}

/** True when some entry allows the action on the resource (an entry's `*` action allows every action). */
export function permits(entries: readonly AccessEntry[], type: string, name: string, action: string): boolean {
  return entries.some(
    (entry) => covers(entry, type, name) && (entry.actions.includes("*") || entry.actions.includes(action)),
  );
}

/**
 * What a token may carry: the requested access, cut down to what the identity may do.
 *
 * A requested `*` becomes `*` when the identity has every action, else the concrete actions it has.
 */
export function intersectAccess(requested: readonly AccessEntry[], allowed: readonly AccessEntry[]): AccessEntry[] {
  const granted: AccessEntry[] = [];
  for (const { type, name, actions } of requested) {
    const kept = new Set<string>();
    for (const action of actions) {
      if (permits(allowed, type, name, action)) kept.add(action);
      else if (action === "*") {
        for (const entry of allowed) if (covers(entry, type, name)) entry.actions.forEach((a) => kept.add(a));
      }
    }
    if (kept.size > 0) granted.push({ type, name, actions: [...kept] });
  }
  return granted;
}
