/**
 * What the browser project's global setup hands to the tests through `provide`/`inject`: plain, serializable data.
 * @module
 */

/** The emulator's admin user in the browser suite. */
export interface BrowserUser {
  username: string;
  password: string;
}

/** The servers the browser suite runs against, all on 127.0.0.1, and what was seeded into them. */
export interface BrowserServers {
  user: BrowserUser;
  /** The emulator with CORS, anonymous pull and {@link BrowserServers.user}. */
  emulator: string;
  /** The same emulator kind in redirect mode with CORS on both origins: the browser follows the 307 itself. */
  redirectingEmulator: string;
  /** examples/cors-proxy with CORS, in front of an emulator in redirect mode that sends no CORS headers at all. */
  corsProxy: string;
  /** An open emulator behind a forwarder that flips a byte of every blob it serves. */
  tamper: string;
  /** docker-registry 2.8.2 with CORS headers, anonymous. */
  dockerRegistry: string;
  /** {@link BrowserServers.dockerRegistry} behind a proxy that paces every blob read to `bytesPerSecond`. */
  cappedRegistry: { url: string; bytesPerSecond: number };
  /** An emulator with CORS and {@link BrowserServers.user} for each registry profile, by profile name. */
  profiles: Record<string, string>;
  /** An emulator with CORS and {@link BrowserServers.user} for each profile named after a registry, by name. */
  registryProfiles: Record<string, string>;
  seeded: {
    /** Repositories made only for listing and paging. */
    pagingRepositories: string[];
    /** A repository with two images: `arm64` tagged v1, v2, v3 and `amd64` tagged old. */
    metadataRepository: { name: string; arm64: string; amd64: string };
    /** An OCI index tagged 1.0 over linux/amd64 and linux/arm64 images. */
    index: {
      repository: string;
      tag: string;
      digest: string;
      platforms: Array<{ architecture: string; digest: string; layers: string[] }>;
    };
    /** A repository that the metadata tests delete. */
    doomedRepository: string;
    /** A repository and blob behind {@link BrowserServers.tamper}. */
    tampered: { repository: string; digest: string; size: number };
    /** Seeded into the redirecting emulator and the proxied one: an image with one layer. */
    redirected: { repository: string; layer: string; tag: string };
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    servers: BrowserServers;
  }
}
