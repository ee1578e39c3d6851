/**
 * The secret scan of the test suites: everything an error exposes, as text, to search for known secrets.
 * @module
 */

/** JSON of a value, or its string form when it cannot be serialized. */
export function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return String(value);
  }
}

/** Everything an error exposes: message, stack, own fields, and the same for its causes and details. */
export function describeError(error: unknown, depth = 0): string {
  if (depth > 5 || error === null || error === undefined) return "";
  if (typeof error !== "object") return String(error);
  const parts = [String((error as Error).message), String((error as Error).stack)];
  for (const key of Object.getOwnPropertyNames(error)) {
    const value = (error as Record<string, unknown>)[key];
    parts.push(key, typeof value === "object" ? safeJson(value) : String(value));
  }
  parts.push(describeError((error as { cause?: unknown }).cause, depth + 1));
  return parts.join("\n");
}

/** The secrets (at least 8 characters long) that occur in the text. */
export function leakedSecrets(haystack: string, secrets: Iterable<string>): string[] {
  return [...secrets].filter((secret) => secret.length >= 8 && haystack.includes(secret));
}
