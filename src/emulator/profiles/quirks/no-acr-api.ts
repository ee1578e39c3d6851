/**
 * Quirk: not Azure Container Registry: no `/acr/v1` metadata API and no `/oauth2/exchange` (every registry but ACR).
 * @module
 */
import type { Quirk } from "../profile";

/** Drops ACR's own endpoints; the OCI API and the token endpoint stay. */
export const noAcrApi: Quirk = (profile) => ({ ...profile, endpoints: { ...profile.endpoints, acrApi: false } });
