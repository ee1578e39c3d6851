/**
 * hash-wasm's constructors, in a module of their own: it is imported on first use, so the WebAssembly (about 13 KB
 * gzipped) loads only when a digest is first computed, and never where a platform hasher replaces it.
 * @module
 */
export { createSHA256, createSHA512 } from "hash-wasm";
