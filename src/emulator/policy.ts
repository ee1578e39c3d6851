/**
 * The `changeableAttributes` rules: an operation proceeds only if every object it touches allows it.
 *
 * Repository-, manifest- and tag-level flags all apply; routes pass whichever objects the operation touches.
 * @module
 */
import type { ChangeableAttributes } from "./state";

/** True when none of the objects (undefined ones are skipped) has the flag turned off. */
export function allowedBy(
  flag: keyof ChangeableAttributes,
  ...objects: ReadonlyArray<{ attributes: ChangeableAttributes } | undefined>
): boolean {
  return objects.every((object) => !object || object.attributes[flag]);
}

/** Merges a PATCH body into attributes; undefined when a known field is not a boolean. Unknown fields are ignored. */
export function patchAttributes(
  attributes: ChangeableAttributes,
  body: Record<string, unknown>,
): ChangeableAttributes | undefined {
  const next = { ...attributes };
  for (const key of Object.keys(next) as Array<keyof ChangeableAttributes>) {
    const value = body[key];
    if (value === undefined) continue;
    if (typeof value !== "boolean") return undefined;
    next[key] = value;
  }
  return next;
}
