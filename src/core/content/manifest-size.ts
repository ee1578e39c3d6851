/**
 * The manifest size limit, apart from the manifest code so that importing it loads none of that code.
 * @module
 */

/** The largest manifest acrkit sends or accepts: 4 MiB, as registries must accept and the peers enforce. */
export const MAX_MANIFEST_SIZE = 4 * 1024 * 1024;
