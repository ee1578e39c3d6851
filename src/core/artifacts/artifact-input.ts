/**
 * What `pushArtifact` takes, and its checks: every value is checked before any request, and a bad one is named.
 * @module
 */
import type { BlobSource } from "../content/blob-source";
import { assertDigest, assertTag, quote } from "../grammar/assert";
import type { OciDescriptor } from "../models/oci";
import { DEFAULT_FILE_MEDIA_TYPE } from "./artifact-conventions";

/** One file of an artifact: its name (the layer's title), its content and optionally its media type. */
export interface ArtifactFile {
  /** The file name, stored as the layer's `org.opencontainers.image.title`; unique within the artifact. */
  name: string;
  /** The content: a Blob or File, bytes, a string, a stream, or a file source (acrkit/node's `fileSource`). */
  data: BlobSource;
  /** The layer's media type; default the Blob's own `type` when it has one, else `application/octet-stream`. */
  mediaType?: string;
}

/** A config of its own, instead of the OCI empty config. */
export interface ArtifactConfig {
  /** The config's media type, e.g. `application/vnd.cncf.helm.config.v1+json`. */
  mediaType: string;
  /** Its content. */
  data: BlobSource;
}

/** What an artifact consists of, for `pushArtifact`. */
export interface PushArtifactInput {
  /** The files, one layer each, in this order. None makes an artifact of annotations only. */
  files: ArtifactFile[];
  /** What kind of artifact this is, e.g. `application/vnd.example.sbom.v1`; becomes the manifest's `artifactType`. */
  artifactType: string;
  /** Annotations of the manifest, e.g. `org.opencontainers.image.created`. */
  annotations?: Record<string, string>;
  /** The manifest this artifact is about (a signature's or SBOM's image): it then lists as that manifest's referrer. */
  subject?: OciDescriptor;
  /** Tags the artifact; without it, it is stored by digest only. */
  tag?: string;
  /** A config of its own; default the OCI empty config `application/vnd.oci.empty.v1+json`. */
  config?: ArtifactConfig;
}

/** `type/subtype` with the characters RFC 6838 allows, as the OCI spec requires of media types. */
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;

/** Throws a TypeError naming `what` unless `value` is a media type. */
export function assertMediaType(value: unknown, what: string): asserts value is string {
  if (typeof value !== "string" || !MEDIA_TYPE.test(value))
    throw new TypeError(`${what} must be a media type such as application/vnd.example+json, got ${quote(value)}`);
}

/** Checks the whole input before anything is sent; returns each file's media type. */
export function checkPushInput(input: PushArtifactInput): string[] {
  if (typeof input !== "object" || input === null)
    throw new TypeError(`pushArtifact needs { files, artifactType, ... }, got ${quote(input)}`);
  assertMediaType(input.artifactType, "artifactType");
  if (!Array.isArray(input.files))
    throw new TypeError(`files must be an array of { name, data, mediaType? }, got ${quote(input.files)}`);
  const names = new Set<string>();
  const mediaTypes = input.files.map((file, index) => {
    if (typeof file !== "object" || file === null)
      throw new TypeError(`files[${index}] must be { name, data, mediaType? }, got ${quote(file)}`);
    if (typeof file.name !== "string" || file.name === "" || hasControlCharacter(file.name)) {
      throw new TypeError(
        `files[${index}].name must be a non-empty file name without control characters, got ${quote(file.name)}`,
      );
    }
    if (names.has(file.name))
      throw new TypeError(`files[${index}].name ${quote(file.name)} appears twice: each file needs a name of its own`);
    names.add(file.name);
    if (file.data === undefined || file.data === null)
      throw new TypeError(`files[${index}].data (${quote(file.name)}) is missing`);
    if (file.mediaType !== undefined) assertMediaType(file.mediaType, `files[${index}].mediaType`);
    return file.mediaType ?? blobType(file.data) ?? DEFAULT_FILE_MEDIA_TYPE;
  });
  checkAnnotations(input.annotations);
  if (input.subject !== undefined) checkDescriptor(input.subject, "subject");
  if (input.tag !== undefined) assertTag(input.tag);
  if (input.config !== undefined) {
    if (typeof input.config !== "object" || input.config === null)
      throw new TypeError(`config must be { mediaType, data }, got ${quote(input.config)}`);
    assertMediaType(input.config.mediaType, "config.mediaType");
    if (input.config.data === undefined || input.config.data === null) throw new TypeError("config.data is missing");
  }
  return mediaTypes;
}

function checkAnnotations(annotations: unknown): void {
  if (annotations === undefined) return;
  if (typeof annotations !== "object" || annotations === null || Array.isArray(annotations)) {
    throw new TypeError(`annotations must be an object of strings, got ${quote(annotations)}`);
  }
  for (const [key, value] of Object.entries(annotations)) {
    if (typeof value !== "string")
      throw new TypeError(`annotations[${quote(key)}] must be a string, got ${quote(value)}`);
  }
}

function checkDescriptor(descriptor: OciDescriptor, what: string): void {
  if (typeof descriptor !== "object" || descriptor === null)
    throw new TypeError(`${what} must be a descriptor { mediaType, digest, size }, got ${quote(descriptor)}`);
  assertMediaType(descriptor.mediaType, `${what}.mediaType`);
  assertDigest(descriptor.digest);
  if (!Number.isSafeInteger(descriptor.size) || descriptor.size < 0)
    throw new RangeError(`${what}.size must be a non-negative integer, got ${quote(descriptor.size)}`);
}

function blobType(data: BlobSource): string | undefined {
  return typeof Blob !== "undefined" && data instanceof Blob && MEDIA_TYPE.test(data.type) ? data.type : undefined;
}

function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) < 0x20) return true;
  return false;
}
