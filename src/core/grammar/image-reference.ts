/**
 * The image-reference grammar of command lines: `host[:port]/repo[:tag][@digest]`, `host[:port]` alone, and an OCI
 * image layout directory `oci:DIR[:TAG]`.
 *
 * Pure functions with no I/O.
 * @module
 */
import { assertDigest, assertRepositoryName, assertTag, quote } from "./assert";

/** A reference into a registry: its host, and optionally a repository, tag and digest. */
export interface RegistryImageReference {
  /** Always `"registry"`. */
  kind: "registry";
  /** `host[:port]` as written, lower-cased, e.g. `myregistry.azurecr.io` or `127.0.0.1:5000`. */
  registry: string;
  /** The repository, e.g. `team/app`; absent for a registry alone. */
  repository?: string;
  /** The tag, when written. */
  tag?: string;
  /** The digest, when written (`@sha256:…`). */
  digest?: string;
}

/** A reference into an OCI image layout directory (skopeo's `oci:` transport). */
export interface OciLayoutImageReference {
  /** Always `"oci-layout"`. */
  kind: "oci-layout";
  /** The layout directory. */
  path: string;
  /** The image's `org.opencontainers.image.ref.name`, when written. */
  tag?: string;
}

/** What {@link parseImageReference} returns. */
export type ParsedImageReference = RegistryImageReference | OciLayoutImageReference;

const HOST_PATTERN =
  /^(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)(?::[0-9]{1,5})?$/;
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Parses `host[:port]/repo[:tag][@digest]`, `host[:port]`, or `oci:DIR[:TAG]`.
 *
 * The registry host is required (no implied Docker Hub): the first path component must contain a dot or a colon or
 * be `localhost`. A tag and a digest may both be given (`repo:tag@sha256:…`); the digest then decides.
 * @throws TypeError naming the bad part of the value
 */
export function parseImageReference(text: string): ParsedImageReference {
  if (typeof text !== "string" || text === "")
    throw new TypeError(
      `Invalid image reference ${quote(text)}: expected host/repository[:tag][@digest] or oci:DIR[:TAG]`,
    );
  if (text.startsWith("oci:")) return parseLayout(text);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new TypeError(
      `Invalid image reference ${quote(text)}: write the registry without a scheme (host/repository:tag)`,
    );
  }
  const slash = text.indexOf("/");
  const host = (slash < 0 ? text : text.slice(0, slash)).toLowerCase();
  if (!HOST_PATTERN.test(host) || !(host.includes(".") || host.includes(":") || host === "localhost")) {
    throw new TypeError(
      `Invalid image reference ${quote(text)}: ${quote(host)} is not a registry host (it needs a dot, a port or to be localhost)`,
    );
  }
  if (slash < 0 || slash === text.length - 1) return { kind: "registry", registry: host };
  let rest = text.slice(slash + 1);
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    assertDigest(digest);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    assertTag(tag);
    rest = rest.slice(0, colon);
  }
  assertRepositoryName(rest);
  return {
    kind: "registry",
    registry: host,
    repository: rest,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

function parseLayout(text: string): OciLayoutImageReference {
  const body = text.slice("oci:".length);
  // The tag is after the last colon, unless that colon belongs to the path (a Windows drive `C:\…`, or a slash after it).
  const colon = body.lastIndexOf(":");
  let path = body;
  let tag: string | undefined;
  if (colon > 1 && !/[\\/]/.test(body.slice(colon + 1))) {
    path = body.slice(0, colon);
    tag = body.slice(colon + 1);
    assertTag(tag);
  }
  if (path === "")
    throw new TypeError(`Invalid image reference ${quote(text)}: oci: needs a directory (oci:DIR[:TAG])`);
  return { kind: "oci-layout", path, ...(tag === undefined ? {} : { tag }) };
}

/** The tag or digest a reference names (the digest when both are given), or undefined for a bare repository. */
export function referenceOf(reference: RegistryImageReference): string | undefined {
  return reference.digest ?? reference.tag;
}

/** Formats a registry reference back to text: `host/repo:tag@digest`. */
export function formatImageReference(reference: RegistryImageReference): string {
  let text = reference.registry;
  if (reference.repository !== undefined) text += `/${reference.repository}`;
  if (reference.tag !== undefined) text += `:${reference.tag}`;
  if (reference.digest !== undefined) text += `@${reference.digest}`;
  return text;
}

/**
 * The endpoint URL of a registry host: `https://host`, or `http://host` for a loopback host (127.0.0.1, ::1,
 * localhost), the only place the client sends credentials over plain HTTP.
 */
export function registryEndpoint(registry: string): string {
  const host = registry.replace(/:[0-9]+$/, "");
  return `${LOOPBACK_HOSTS.has(host) || host.startsWith("127.") ? "http" : "https"}://${registry}`;
}
