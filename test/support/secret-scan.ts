/**
 * The secret scan of the security tests: everything an error shows (util.inspect with hidden fields, String, JSON,
 * stack, every field down the cause chain) and every logger line, searched for the secrets a test seeded or the
 * servers issued; and the check that a cause chain holds only plain errors, never a Request, Response or Headers.
 * @module
 */
import { inspect } from "node:util";
import type { FetchLike, RequestLogEntry } from "../../src/index";

/** How deep the field walk goes; error graphs are shallow, this only stops cycles from looping. */
const MAX_DEPTH = 12;

/** Every text through which `value` can show a secret: inspect (hidden fields too), String, JSON, stack, each field. */
export function exposedTexts(value: unknown): string[] {
  const texts = [
    inspect(value, { depth: Infinity, showHidden: true, getters: true }),
    safeString(value),
    safeJson(value),
  ];
  if (value instanceof Error) texts.push(String(value.stack));
  walk(value, (_path, item) => {
    if (typeof item === "string") texts.push(item);
    else if (item instanceof Error) texts.push(safeString(item), String(item.stack));
  });
  return texts;
}

/** The secrets (and their URL-encoded and base64 forms) found in any of the texts. */
export function leakedSecrets(texts: readonly string[], secrets: Iterable<string>): string[] {
  const haystack = texts.join("\n");
  const leaked = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 6) continue;
    for (const form of [secret, encodeURIComponent(secret), Buffer.from(secret).toString("base64")]) {
      if (haystack.includes(form)) leaked.add(secret);
    }
  }
  return [...leaked];
}

/** Where each leaked secret stands in the texts, for a failure message that shows the leak. */
export function describeLeaks(texts: readonly string[], leaked: readonly string[]): string {
  const haystack = texts.join("\n");
  return leaked
    .map((secret) => {
      const at = haystack.indexOf(secret);
      return `${secret} in …${haystack.slice(Math.max(0, at - 160), at + secret.length + 40).replace(/\n/g, " | ")}…`;
    })
    .join("\n");
}

/** Scans an outcome (an error or a value) and log lines for secrets; returns a report, empty when nothing leaked. */
export function scanForSecrets(outcome: unknown, logs: readonly RequestLogEntry[], secrets: Iterable<string>): string {
  const texts = [...exposedTexts(outcome), ...logs.map((entry) => JSON.stringify(entry))];
  return describeLeaks(texts, leakedSecrets(texts, secrets));
}

/**
 * What a cause chain must not hold, as readable findings (empty when clean): causes that are not plain `Error`s (or
 * acrkit errors), third-party errors (an HTTP library's errors hold the Request), and a Request, Response or Headers
 * anywhere in an error's fields.
 */
export function unsafeCauses(error: unknown): string[] {
  const findings: string[] = [];
  let cause = (error as { cause?: unknown } | undefined)?.cause;
  for (let depth = 0; cause !== undefined && depth < MAX_DEPTH; depth++) {
    const name = (cause as { constructor?: { name?: string } })?.constructor?.name ?? typeof cause;
    if (!(cause instanceof Error)) findings.push(`cause ${depth} is a ${name}, not an Error`);
    else if (!isPlainOrAcrkit(cause)) findings.push(`cause ${depth} is a ${name} (${cause.name}), not a plain Error`);
    cause = (cause as { cause?: unknown }).cause;
  }
  walk(error, (path, item) => {
    if (item instanceof Request || item instanceof Response || item instanceof Headers)
      findings.push(`${path} is a ${item.constructor.name}`);
  });
  return findings;
}

function isPlainOrAcrkit(error: Error): boolean {
  if (Object.getPrototypeOf(error) === Error.prototype) return true;
  // acrkit's own classes: AcrkitError is the base of all of them.
  for (
    let proto = Object.getPrototypeOf(error);
    proto && proto !== Error.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    if (proto.constructor?.name === "AcrkitError") return true;
  }
  return false;
}

/** Visits every value reachable through own properties (enumerable or not, symbols too), with its path. */
function walk(root: unknown, visit: (path: string, value: unknown) => void): void {
  const seen = new Set<unknown>();
  const step = (value: unknown, path: string, depth: number) => {
    visit(path, value);
    if (typeof value !== "object" || value === null || seen.has(value) || depth >= MAX_DEPTH) return;
    seen.add(value);
    if (value instanceof Request || value instanceof Response || value instanceof Headers) return;
    for (const key of Reflect.ownKeys(value)) {
      let item: unknown;
      try {
        item = (value as Record<PropertyKey, unknown>)[key];
      } catch {
        continue;
      }
      step(item, `${path}.${String(key)}`, depth + 1);
    }
  };
  step(root, "error", 0);
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return "";
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return "";
  }
}

/**
 * A fetch that adds to `secrets` every credential it sees go out (Authorization values, and the password inside a
 * Basic one) and every token a token endpoint hands out, so that the scan also looks for what the servers issued.
 */
export function secretRecordingFetch(
  secrets: Set<string>,
  base: FetchLike = (input, init) => fetch(input, init),
): FetchLike {
  return async (input, init) => {
    const authorization = input.headers.get("authorization");
    if (authorization) {
      const [scheme, value = ""] = authorization.split(" ");
      secrets.add(value);
      if (scheme?.toLowerCase() === "basic")
        secrets.add(Buffer.from(value, "base64").toString().split(":").slice(1).join(":"));
    }
    const response = await base(input, init);
    if (/\/oauth2\/(token|exchange)|\/token\b/.test(new URL(input.url).pathname) && response.ok) {
      const body = (await response
        .clone()
        .json()
        .catch(() => ({}))) as Record<string, unknown>;
      for (const key of ["access_token", "refresh_token", "token"])
        if (typeof body[key] === "string") secrets.add(body[key]);
    }
    return response;
  };
}

/** Prefixes (at least `minLength` long) of `secret` that occur in the texts: what a cut that came before redaction leaves. */
export function leakedPrefixes(texts: readonly string[], secret: string, minLength = 6): string[] {
  const haystack = texts.join("\n");
  const found: string[] = [];
  for (let length = minLength; length <= secret.length; length++) {
    if (haystack.includes(secret.slice(0, length))) found.push(secret.slice(0, length));
  }
  return found;
}
