/**
 * GET /v2/: the API version check; with auth on, any valid credential passes.
 * @module
 */
import type { Endpoint } from "../context";
import { json } from "../http";

/** The /v2/ endpoint. */
export const v2BaseEndpoints: Endpoint[] = [
  {
    pattern: /^\/v2\/?$/,
    methods: { GET: { access: () => ({ kind: "authenticated" }), handle: () => json({}) } },
  },
];
