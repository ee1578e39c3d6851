/**
 * Which hasher clients use when their options name none. A platform entry point (acrkit/node) installs its native
 * one on import, so that its users get it without any configuration.
 * @module
 */
import type { HasherFactory } from "./hasher";
import { wasmHasherFactory } from "./wasm-hasher";

let defaultFactory: HasherFactory = wasmHasherFactory;

/** The hasher factory clients use by default. */
export function getDefaultHasherFactory(): HasherFactory {
  return defaultFactory;
}

/** Replaces the default hasher factory; platform entry points call this once on import. */
export function setDefaultHasherFactory(factory: HasherFactory): void {
  defaultFactory = factory;
}
