/**
 * Contenders that are not Node code (curl, curl | openssl, skopeo), run through bash under GNU time so that their
 * wall time and peak RSS are measured the same way for every command line.
 * @module
 */
import { spawnCaptured } from "./spawn";

/** The outcome of one command line. */
export interface CommandResult {
  ms: number;
  /** The largest RSS of any process of the command line, in MiB (GNU time's %M). */
  rssPeakMiB: number;
  stdout: string;
}

/** Runs a bash command line (pipefail) and measures it; rejects on a non-zero exit. */
export async function runCommand(script: string, env: Record<string, string> = {}): Promise<CommandResult> {
  const result = await spawnCaptured(
    "/usr/bin/time",
    ["-f", "@@maxrss=%M", "bash", "-o", "pipefail", "-c", script],
    env,
    600_000,
  );
  if (result.code !== 0)
    throw new Error(`command failed (${result.code ?? result.signal}): ${script}\n${result.stderr.slice(-2000)}`);
  const rss = /@@maxrss=(\d+)/.exec(result.stderr);
  return { ms: result.ms, rssPeakMiB: rss ? Number(rss[1]) / 1024 : Number.NaN, stdout: result.stdout };
}

/** Single-quotes a value for bash. */
export function quote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** curl's monolithic upload: POST for a session, then one PUT of the whole file with the precomputed digest. */
export function curlUploadScript(url: string, repository: string, file: string, digest: string): string {
  // `Expect:` off: curl would otherwise wait for a 100-continue before a large body.
  return [
    `loc=$(curl -sS -f -D - -o /dev/null -X POST ${quote(`${url}/v2/${repository}/blobs/uploads/`)} | tr -d '\\r' | sed -n 's/^[Ll]ocation: //p')`,
    `case "$loc" in *\\?*) sep='&';; *) sep='?';; esac`,
    `curl -sS -f -o /dev/null -H 'Expect:' -H 'Content-Type: application/octet-stream' -X PUT -T ${quote(file)} "$loc$sep"digest=${quote(digest)}`,
  ].join("\n");
}

/** A plain GET of a blob to /dev/null. */
export function curlDownloadScript(url: string, repository: string, digest: string): string {
  return `curl -sS -f -o /dev/null ${quote(`${url}/v2/${repository}/blobs/${digest}`)}`;
}

/** A GET piped into openssl's SHA-256, and the check that the digest matches: a verified download. */
export function curlVerifiedDownloadScript(url: string, repository: string, digest: string): string {
  const hex = digest.slice("sha256:".length);
  return `out=$(curl -sS -f ${quote(`${url}/v2/${repository}/blobs/${digest}`)} | openssl dgst -sha256 -r) && [ "\${out%% *}" = ${quote(hex)} ]`;
}

/** skopeo pushing an OCI layout to docker-registry. */
export function skopeoPushScript(layout: string, tag: string, registryHost: string, repository: string): string {
  return `skopeo copy --quiet --dest-tls-verify=false ${quote(`oci:${layout}:${tag}`)} ${quote(`docker://${registryHost}/${repository}:${tag}`)}`;
}

/** skopeo pulling an image from docker-registry into a fresh OCI layout. */
export function skopeoPullScript(registryHost: string, repository: string, tag: string, out: string): string {
  return `rm -rf ${quote(out)} && skopeo copy --quiet --src-tls-verify=false ${quote(`docker://${registryHost}/${repository}:${tag}`)} ${quote(`oci:${out}:${tag}`)}`;
}

/**
 * curl's streamed upload: POST for a session, one PATCH carrying the whole file (no Content-Range: the registry
 * appends the stream), then a PUT with the digest and no body, to the Location the PATCH answered.
 */
export function curlStreamedPatchScript(url: string, repository: string, file: string, digest: string): string {
  const location = `tr -d '\\r' | sed -n 's/^[Ll]ocation: //p'`;
  return [
    `loc=$(curl -sS -f -D - -o /dev/null -X POST ${quote(`${url}/v2/${repository}/blobs/uploads/`)} | ${location})`,
    `case "$loc" in /*) loc=${quote(url)}"$loc";; esac`,
    `loc=$(curl -sS -f -D - -o /dev/null -H 'Expect:' -H 'Content-Type: application/octet-stream' -X PATCH -T ${quote(file)} "$loc" | ${location})`,
    `case "$loc" in /*) loc=${quote(url)}"$loc";; esac`,
    `case "$loc" in *\\?*) sep='&';; *) sep='?';; esac`,
    `curl -sS -f -o /dev/null -X PUT -H 'Content-Length: 0' "$loc$sep"digest=${quote(digest)}`,
  ].join("\n");
}
