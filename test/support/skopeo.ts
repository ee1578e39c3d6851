/**
 * Runs skopeo (Debian package skopeo) for interop tests: copies between a loopback registry and OCI layouts.
 * @module
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";

/** Where skopeo lives; .ci/run installs it with apt-get. */
export const SKOPEO_BINARY = process.env.SKOPEO_BINARY ?? "/usr/bin/skopeo";

/**
 * Without a system policy, skopeo refuses to run at all; the test registries are plain loopback HTTP, so accepting
 * anything is what the policy file on the test machine says too.
 */
function policyArguments(): string[] {
  return existsSync("/etc/containers/policy.json") ? [] : ["--insecure-policy"];
}

/** Runs skopeo with the arguments; resolves with stdout, rejects with stderr in the message. */
export function skopeo(args: string[], timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      SKOPEO_BINARY,
      [...policyArguments(), ...args],
      { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`skopeo ${args.join(" ")} failed: ${stderr || error.message}`, { cause: error }));
        else resolve(stdout);
      },
    );
  });
}

/** `docker://127.0.0.1:PORT/repository:reference` for a registry URL such as `http://127.0.0.1:PORT`. */
export function dockerReference(registryUrl: string, repository: string, reference: string): string {
  const separator = reference.includes(":") ? "@" : ":";
  return `docker://${new URL(registryUrl).host}/${repository}${separator}${reference}`;
}

/** Copies an image from a plain-HTTP registry into an OCI layout directory under `tag`. */
export async function copyToOciLayout(
  registryUrl: string,
  repository: string,
  reference: string,
  directory: string,
  tag: string,
): Promise<void> {
  await skopeo([
    "copy",
    "--src-tls-verify=false",
    dockerReference(registryUrl, repository, reference),
    `oci:${directory}:${tag}`,
  ]);
}

/** Pushes the image tagged `tag` in an OCI layout directory to a plain-HTTP registry. */
export async function pushOciLayout(
  directory: string,
  tag: string,
  registryUrl: string,
  repository: string,
  reference: string,
): Promise<void> {
  await skopeo([
    "copy",
    "--dest-tls-verify=false",
    `oci:${directory}:${tag}`,
    dockerReference(registryUrl, repository, reference),
  ]);
}

/** The raw manifest bytes as the registry serves them, read by skopeo. */
export async function inspectRaw(registryUrl: string, repository: string, reference: string): Promise<string> {
  return skopeo(["inspect", "--raw", "--tls-verify=false", dockerReference(registryUrl, repository, reference)]);
}
