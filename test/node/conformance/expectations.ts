/**
 * The conformance matrix as data: every target (docker-registry and each emulator profile), the operations of the
 * public API, and what each target refuses. The matrix test runs it; the README's registry table is rendered from it.
 * @module
 */
import type { RegistryProfile } from "../../../src/emulator/index";

/** An operation of the public API, as one matrix column. */
export const OPERATIONS = {
  "upload-bytes": "uploadBlob from bytes",
  "upload-blob": "uploadBlob from a Blob",
  "upload-stream": "uploadBlob from a one-shot stream",
  "upload-file": "uploadBlob from a file (fileSource)",
  "upload-chunked": "uploadBlob in chunks (chunkSize)",
  manifests: "pushManifest by tag, getManifest by tag and by digest",
  "download-verified": "downloadBlob, verified",
  "download-resumed": "downloadBlob resumed after a cut",
  "list-tags": "listTagProperties, paged",
  "list-repositories": "listRepositoryNames",
  "delete-tag": "deleteTag",
  "delete-manifest": "deleteManifest",
  "copy-image": "copyImage between repositories (mount)",
  "mount-refused": "mountBlob from a repository the registry will not mount from",
  referrers: "listReferrers of an artifact's subject",
  "no-referrers": "listReferrers of a manifest without referrers",
  artifacts: "pushArtifact, pullArtifact",
  purge: "purge (dry run)",
} as const;

/** An operation's id. */
export type Operation = keyof typeof OPERATIONS;

/** A refusal of the registry itself: the cell must end in UnsupportedOperationError naming this status. */
export interface Refused {
  status: number;
  /** Why, with the registry-quirks row. */
  why: string;
}

/** One target of the matrix. */
export interface Target {
  /** The README's name for the registry. */
  registry: string;
  /** The emulator profile, or `docker-registry` for the real distribution 2.8.2 server. */
  server: RegistryProfile | "docker-registry";
  /** The registry-quirks rows its profile plays, for test names. */
  rows: string;
  /** A blob size that meets the target's upload limits (over a cap, across a chunk minimum). */
  bigUpload: number;
  /** Operations the registry itself refuses. */
  refused: Partial<Record<Operation, Refused>>;
}

const MIB = 1024 * 1024;
const DEFAULT_UPLOAD = 1.5 * MIB;

const NO_ACR_API: Refused = { status: 0, why: "no `/acr/v1` (purge needs ACR's timestamps and locks)" };
const NO_TAG_DELETE_405: Refused = { status: 405, why: "DELETE of a manifest by tag: 405 UNSUPPORTED" };
const NO_MANIFEST_DELETE_405: Refused = { status: 405, why: "DELETE of a manifest: 405 UNSUPPORTED" };

/** Every target, in the README's order. */
export const TARGETS: readonly Target[] = [
  {
    registry: "GHCR",
    server: "ghcr",
    rows: "13, 15, 16, 17",
    bigUpload: 9 * MIB + 17,
    refused: {
      "delete-tag": { ...NO_TAG_DELETE_405, why: "deleting goes through GitHub's packages API (row 16)" },
      "delete-manifest": { ...NO_MANIFEST_DELETE_405, why: "deleting goes through GitHub's packages API (row 16)" },
      "list-repositories": { status: 404, why: "no `_catalog` (row 17)" },
      purge: NO_ACR_API,
    },
  },
  {
    registry: "ECR",
    server: "ecr",
    rows: "1, 2, 3, 6, 8, 10, 11, 12",
    bigUpload: 11 * MIB + 17,
    refused: { purge: NO_ACR_API },
  },
  {
    registry: "Docker Hub",
    server: "docker-hub",
    rows: "18, 19, 20, 21",
    bigUpload: DEFAULT_UPLOAD,
    refused: {
      "delete-tag": { ...NO_TAG_DELETE_405, why: "DELETE of a manifest: 405 (row 21)" },
      "delete-manifest": { ...NO_MANIFEST_DELETE_405, why: "DELETE of a manifest: 405 (row 21)" },
      "list-repositories": { status: 404, why: "no `_catalog` (row 21)" },
      purge: NO_ACR_API,
    },
  },
  { registry: "GAR", server: "gar", rows: "28, 29", bigUpload: DEFAULT_UPLOAD, refused: { purge: NO_ACR_API } },
  {
    registry: "Quay",
    server: "quay",
    rows: "30, 31, 33, 34",
    bigUpload: DEFAULT_UPLOAD,
    refused: { purge: NO_ACR_API },
  },
  {
    registry: "Harbor",
    server: "harbor",
    rows: "35, 36, 37, 57",
    bigUpload: 3 * MIB + 17,
    refused: {
      "list-repositories": { status: 401, why: "`_catalog` for administrators only (row 37)" },
      purge: NO_ACR_API,
    },
  },
  {
    registry: "GitLab",
    server: "gitlab",
    rows: "42, 43, 60",
    bigUpload: DEFAULT_UPLOAD,
    refused: {
      "list-repositories": { status: 401, why: "`_catalog` for administrators only (row 43)" },
      purge: NO_ACR_API,
    },
  },
  { registry: "Gitea", server: "gitea", rows: "44, 45", bigUpload: DEFAULT_UPLOAD, refused: { purge: NO_ACR_API } },
  {
    registry: "Artifactory",
    server: "artifactory",
    rows: "46, 47",
    bigUpload: DEFAULT_UPLOAD,
    refused: { purge: NO_ACR_API },
  },
  { registry: "Nexus", server: "nexus", rows: "48", bigUpload: DEFAULT_UPLOAD, refused: { purge: NO_ACR_API } },
  { registry: "ACR", server: "acr", rows: "22", bigUpload: DEFAULT_UPLOAD, refused: {} },
  {
    registry: "docker-registry",
    server: "docker-registry",
    rows: "52, 53, 54",
    bigUpload: DEFAULT_UPLOAD,
    refused: { "delete-tag": { status: 400, why: "DELETE by tag: 400 DIGEST_INVALID (row 53)" }, purge: NO_ACR_API },
  },
  {
    registry: "docker-registry",
    server: "distribution",
    rows: "52, 53, 54",
    bigUpload: DEFAULT_UPLOAD,
    refused: { "delete-tag": { status: 400, why: "DELETE by tag: 400 DIGEST_INVALID (row 53)" }, purge: NO_ACR_API },
  },
  { registry: "zot", server: "zot", rows: "50, 51, 62", bigUpload: DEFAULT_UPLOAD, refused: { purge: NO_ACR_API } },
  {
    registry: "ACR (single-request)",
    server: "single-request",
    rows: "(behaviour)",
    bigUpload: 9 * MIB + 17,
    refused: {},
  },
  { registry: "ACR (chunk-min)", server: "chunk-min", rows: "2", bigUpload: 11 * MIB + 17, refused: {} },
  { registry: "ACR (put-limit)", server: "put-limit", rows: "57", bigUpload: 21 * MIB + 17, refused: {} },
];
