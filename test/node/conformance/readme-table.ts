/**
 * The README's registry table, rendered from the matrix's expectations, so that the two cannot drift apart
 * (readme.test.ts compares them).
 * @module
 */
import { OPERATIONS, TARGETS, type Operation, type Target } from "./expectations";

/** The README's short words for each operation. */
const SHORT: Readonly<Record<Operation, string>> = {
  "upload-bytes": "uploads",
  "upload-blob": "uploads",
  "upload-stream": "uploads",
  "upload-file": "uploads",
  "upload-chunked": "uploads",
  manifests: "manifests",
  "download-verified": "downloads",
  "download-resumed": "downloads",
  "list-tags": "tag listing",
  "list-repositories": "`listRepositoryNames`",
  "delete-tag": "`deleteTag`",
  "delete-manifest": "`deleteManifest`",
  "copy-image": "mount and `copyImage`",
  "mount-refused": "mount and `copyImage`",
  referrers: "referrers",
  "no-referrers": "referrers",
  artifacts: "artifacts",
  purge: "`purge`",
};

/** The registries of the README table, in its order; the matrix targets that are one registry's behaviour alone stay out. */
const REGISTRIES = [
  "GHCR",
  "ECR",
  "Docker Hub",
  "GAR",
  "Quay",
  "Harbor",
  "GitLab",
  "Gitea",
  "Artifactory",
  "Nexus",
  "ACR",
  "docker-registry",
  "zot",
];

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function testedBy(targets: Target[]): string {
  return targets
    .map((target) => (target.server === "docker-registry" ? "docker-registry 2.8.2" : `\`${target.server}\` profile`))
    .join(", ");
}

function row(registry: string): string {
  const targets = TARGETS.filter((target) => target.registry === registry);
  const refused = new Map<Operation, string>();
  for (const target of targets)
    for (const [operation, refusal] of Object.entries(target.refused)) refused.set(operation as Operation, refusal.why);
  const operations = Object.keys(OPERATIONS) as Operation[];
  const works = unique(operations.filter((operation) => !refused.has(operation)).map((operation) => SHORT[operation]));
  const refusals = [...refused].map(([operation, why]) => `${SHORT[operation]}: ${why}`);
  const rows = unique(targets.flatMap((target) => target.rows.split(", ")));
  return `| ${registry} | ${works.join(", ")} | ${refusals.join("; ") || "nothing"} | ${testedBy(targets)}; rows ${rows.join(", ")} |`;
}

/** The table, as it stands in the README between its markers. */
export function registryTable(): string {
  return [
    "| Registry | Works | Refused by the registry (`UnsupportedOperationError`) | Tested by (registry-quirks rows) |",
    "|---|---|---|---|",
    ...REGISTRIES.map(row),
  ].join("\n");
}
