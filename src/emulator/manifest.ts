/**
 * Inspection of pushed manifests: kind, referenced content, subject and ACR's listing fields.
 * @module
 */
import { isDigest } from "../core/grammar/digest";
import { INDEX_TYPES, MediaType } from "./media-types";

/** The parts of an OCI descriptor the emulator uses. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  platform?: { architecture?: string; os?: string; variant?: string };
}

/** What the registry needs to know about a manifest beyond its bytes. */
export interface ManifestInfo {
  /** The media type it is stored and served with. */
  mediaType: string;
  /** Blobs it references (config and layers, or an artifact's blobs); all must exist at push time. */
  blobs: Descriptor[];
  /** Manifests it references (an index's `manifests[]`); all must exist at push time. */
  children: Descriptor[];
  config?: Descriptor;
  subject?: Descriptor;
  artifactType?: string;
  annotations?: Record<string, string>;
}

/** The outcome of {@link inspectManifest}: the info, or the reason for MANIFEST_INVALID. */
export type Inspection = { ok: true; info: ManifestInfo } | { ok: false; message: string };

function descriptor(value: unknown): Descriptor | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const candidate = value as Partial<Descriptor>;
  const valid =
    typeof candidate.mediaType === "string" &&
    isDigest(candidate.digest) &&
    typeof candidate.size === "number" &&
    Number.isSafeInteger(candidate.size) &&
    candidate.size >= 0;
  return valid ? (candidate as Descriptor) : undefined;
}

function descriptorList(value: unknown): Descriptor[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return undefined;
  const list = value.map(descriptor);
  return list.every((item) => item !== undefined) ? (list as Descriptor[]) : undefined;
}

function annotations(value: unknown): Record<string, string> | undefined {
  return typeof value === "object" && value !== null ? (value as Record<string, string>) : undefined;
}

/**
 * Validates a parsed manifest against the `Content-Type` it was pushed with.
 *
 * The media type comes from the header, else the `mediaType` field, else content sniffing
 * (an object with `manifests` is an index); a header that contradicts the field is refused, as distribution does.
 */
export function inspectManifest(json: Record<string, unknown>, contentType: string | null): Inspection {
  const header = contentType?.split(";")[0]!.trim().toLowerCase() || undefined;
  const field = typeof json.mediaType === "string" ? json.mediaType : undefined;
  if (header && field && header !== field) {
    return { ok: false, message: `Content-Type ${header} does not match the manifest mediaType ${field}` };
  }
  const isIndex = INDEX_TYPES.includes(header ?? field ?? "") || Array.isArray(json.manifests);
  const mediaType = header ?? field ?? (isIndex ? MediaType.ociIndex : MediaType.ociManifest);
  const children = isIndex ? descriptorList(json.manifests) : [];
  const layers = descriptorList(mediaType === MediaType.ociArtifact ? json.blobs : json.layers);
  const config = json.config === undefined ? undefined : descriptor(json.config);
  const subject = json.subject === undefined ? undefined : descriptor(json.subject);
  if (!children || !layers) return { ok: false, message: "manifest descriptors are malformed" };
  if (json.config !== undefined && !config) return { ok: false, message: "manifest config descriptor is malformed" };
  if (json.subject !== undefined && !subject) return { ok: false, message: "manifest subject descriptor is malformed" };
  const info: ManifestInfo = { mediaType, blobs: config ? [config, ...layers] : layers, children };
  if (config) info.config = config;
  if (subject) info.subject = subject;
  if (typeof json.artifactType === "string") info.artifactType = json.artifactType;
  const notes = annotations(json.annotations);
  if (notes) info.annotations = notes;
  return { ok: true, info };
}
