/**
 * Serves recorded registry traffic (Azure SDK test-proxy JSON) on loopback, so a client can be checked against
 * what real ACR answered. Drop more recordings beside the others and they are served the same way.
 * @module
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One entry of a test-proxy recording. */
export interface RecordedEntry {
  RequestUri: string;
  RequestMethod: string;
  RequestHeaders: Record<string, string>;
  RequestBody: unknown;
  StatusCode: number;
  ResponseHeaders: Record<string, string | string[]>;
  ResponseBody: unknown;
}

/** A request the replay could not match, or whose form differed from the recorded one. */
export interface ReplayMismatch {
  method: string;
  path: string;
  problem: string;
}

/** A running replay server. */
export interface ReplayServer {
  url: string;
  /** Requests that had no recorded answer, or whose form fields differ from the recording's. */
  mismatches: ReplayMismatch[];
  /** Recorded entries that were answered, in order. */
  served: RecordedEntry[];
  close(): Promise<void>;
}

/** Hosts whose traffic is the test setup's (AAD, ARM), not the registry's: never replayed. */
const SETUP_HOSTS = /microsoftonline\.com|management\.azure\.com/;
/** The recorder's sanitizer cut URIs at the first digest; requests are cut the same way before matching. */
const DIGEST_TAIL = /sha256(?::|%3A)[\s\S]*$/i;
/** Form fields compared between a request and its recording (token values were scrubbed from recordings). */
const COMPARED_FORM_FIELDS = ["grant_type", "service", "scope"];

/** Loads a test-proxy recording's registry entries. */
export function loadRecording(path: string): RecordedEntry[] {
  const recording = JSON.parse(readFileSync(path, "utf8")) as { Entries: RecordedEntry[] };
  return recording.Entries.filter((entry) => !SETUP_HOSTS.test(new URL(entry.RequestUri).host));
}

/** Serves the entries: each request gets the next unused entry with its method and path (form posts: its form). */
export async function startReplayServer(entries: RecordedEntry[]): Promise<ReplayServer> {
  const unused = [...entries];
  const mismatches: ReplayMismatch[] = [];
  const served: RecordedEntry[] = [];
  let origin = "";

  const server: Server = createServer(async (request, response) => {
    const body = await readBody(request);
    const path = sanitize(request.url ?? "/");
    const entry = pick(unused, request.method ?? "GET", path, body, Boolean(request.headers.authorization));
    if (!entry) {
      mismatches.push({ method: request.method ?? "", path, problem: "no recorded answer" });
      response.writeHead(404, { "content-type": "application/json" });
      response.end('{"errors":[{"code":"NOT_RECORDED","message":"no recorded answer"}]}');
      return;
    }
    served.push(entry);
    const problem = compareForms(entry, body);
    if (problem) mismatches.push({ method: entry.RequestMethod, path, problem });
    response.writeHead(entry.StatusCode, responseHeaders(entry, origin));
    response.end(responseBody(entry));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    mismatches,
    served,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function pick(
  unused: RecordedEntry[],
  method: string,
  path: string,
  body: string,
  authorized: boolean,
): RecordedEntry | undefined {
  const candidates = unused.filter((entry) => entry.RequestMethod === method && pathOf(entry) === pathOnly(path));
  // A client that authenticates up front has no use for the recorded 401s the Python client provoked.
  const usable = authorized ? candidates.filter((entry) => entry.StatusCode !== 401) : candidates;
  const entry = usable.find((candidate) => !compareForms(candidate, body)) ?? usable[0];
  if (entry) unused.splice(unused.indexOf(entry), 1);
  return entry;
}

function compareForms(entry: RecordedEntry, body: string): string | undefined {
  if (typeof entry.RequestBody !== "string" || !entry.RequestHeaders["Content-Type"]?.includes("x-www-form-urlencoded"))
    return undefined;
  const recorded = new URLSearchParams(entry.RequestBody);
  const sent = new URLSearchParams(body);
  const differing = COMPARED_FORM_FIELDS.filter(
    (field) => recorded.getAll(field).join(" ") !== sent.getAll(field).join(" "),
  );
  return differing.length
    ? `form fields differ: ${differing.map((f) => `${f}=${sent.getAll(f).join(" ")} (recorded ${recorded.getAll(f).join(" ")})`).join(", ")}`
    : undefined;
}

function responseHeaders(entry: RecordedEntry, origin: string): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(entry.ResponseHeaders)) {
    if (/^(content-length|transfer-encoding|connection)$/i.test(name)) continue;
    // The recorded realm and absolute URLs point at the scrubbed host; the client must come back here instead.
    const rewrite = (text: string) => text.replace(/https:\/\/[a-z0-9_.-]+\.azurecr\.io/gi, origin);
    headers[name] = Array.isArray(value) ? value.map(rewrite) : rewrite(value);
  }
  return headers;
}

function responseBody(entry: RecordedEntry): Buffer | string {
  const body = entry.ResponseBody;
  if (body === null || body === undefined) return "";
  if (typeof body === "string") {
    const type = String(entry.ResponseHeaders["Content-Type"] ?? "");
    return type.includes("json") || type.includes("text") ? body : Buffer.from(body, "base64");
  }
  return JSON.stringify(body);
}

function pathOf(entry: RecordedEntry): string {
  const url = new URL(entry.RequestUri);
  return pathOnly(sanitize(url.pathname + url.search));
}

function pathOnly(path: string): string {
  return path.split("?")[0]!.replace(/\/$/, "/");
}

function sanitize(path: string): string {
  return path.replace(DIGEST_TAIL, "sha256_encoded_stream");
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}
