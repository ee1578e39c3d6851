/**
 * Starts the CNCF distribution registry 2.8.2 (Debian's docker-registry) on a free loopback port, for tests.
 * @module
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync, openSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports";

/** Where docker-registry lives; .ci/run installs it with apt-get. */
export const DOCKER_REGISTRY_BINARY = process.env.DOCKER_REGISTRY_BINARY ?? "/usr/bin/docker-registry";

/** Options of {@link startDockerRegistry}. */
export interface DockerRegistryOptions {
  /** Send CORS headers that let a browser page on any origin use the registry. */
  cors?: boolean;
  /** Users and passwords for HTTP Basic authentication (the registry's htpasswd backend). */
  htpasswd?: Record<string, string>;
  /** More headers on every response of its routes, e.g. `{ Warning: ['299 - "deprecated"'] }`. */
  headers?: Record<string, string[]>;
}

/** A running docker-registry. */
export interface RunningDockerRegistry {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The data directory, removed by `stop`. */
  directory: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const CORS_HEADERS = `
    Access-Control-Allow-Origin: ["*"]
    Access-Control-Allow-Methods: ["HEAD, GET, OPTIONS, DELETE, POST, PUT, PATCH"]
    Access-Control-Allow-Headers: ["Authorization, Accept, Content-Type, Content-Range, Range"]
    Access-Control-Expose-Headers: ["Docker-Content-Digest, Location, Link, Range, Content-Range, Content-Length, WWW-Authenticate, Docker-Upload-UUID, OCI-Subject, OCI-Filters-Applied"]`;

/** Starts docker-registry with filesystem storage in a temp dir and deletes enabled; resolves once it answers. */
export async function startDockerRegistry(options: DockerRegistryOptions = {}): Promise<RunningDockerRegistry> {
  const directory = mkdtempSync(join(tmpdir(), "acrkit-registry-"));
  const port = await freePort();
  const config = `version: 0.1
log: { level: warn, accesslog: { disabled: true }, fields: { service: registry } }
storage:
  filesystem: { rootdirectory: ${join(directory, "data")} }
  delete: { enabled: true }
  cache: { blobdescriptor: inmemory }
  maintenance: { uploadpurging: { enabled: false } }
http:
  addr: 127.0.0.1:${port}
  secret: acrkit-test-secret
  headers:
    X-Content-Type-Options: [nosniff]${options.cors ? CORS_HEADERS : ""}${extraHeaders(options.headers)}
${options.htpasswd ? `auth:\n  htpasswd: { realm: acrkit-test, path: ${writeHtpasswd(directory, options.htpasswd)} }\n` : ""}`;
  const configPath = join(directory, "config.yml");
  writeFileSync(configPath, config);
  const log = openSync(join(directory, "registry.log"), "w");
  const child = spawn(DOCKER_REGISTRY_BINARY, ["serve", configPath], { stdio: ["ignore", log, log] });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    process.removeListener("exit", killOnExit);
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(url, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, directory, process: child, stop };
}

const BCRYPT_ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * Writes an htpasswd file; the registry only takes bcrypt, which libc's crypt(3) makes (through perl, which every
 * Debian system has) when given a `$2b$` salt.
 */
function writeHtpasswd(directory: string, users: Record<string, string>): string {
  const lines = Object.entries(users).map(([user, password]) => {
    const salt = [...randomBytes(22)].map((b) => BCRYPT_ALPHABET[b % 64]).join("");
    const hash = execFileSync("perl", ["-e", "print crypt($ARGV[0], $ARGV[1])", password, `$2b$05$${salt}`], {
      encoding: "utf8",
    });
    if (!hash.startsWith("$2b$")) throw new Error("this system's crypt(3) cannot make bcrypt hashes");
    return `${user}:${hash}`;
  });
  const path = join(directory, "htpasswd");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

/** Extra `http.headers` entries; JSON is YAML, so the values need no escaping of their own. */
function extraHeaders(headers: Record<string, string[]> = {}): string {
  return Object.entries(headers)
    .map(([name, values]) => `\n    ${name}: ${JSON.stringify(values)}`)
    .join("");
}

async function waitUntilReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/v2/`);
      await response.body?.cancel();
      if (response.status === 200 || response.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`docker-registry at ${url} did not become ready`);
}
