/**
 * A RegistryError reports what the registry answered: the status it sent (never one the client made up), the URL the
 * request went to (never an empty one), and of a body that is not text only its type and length, never its bytes.
 */
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BasicCredential, ContainerRegistryClient, RegistryError, UploadInterruptedError } from "../../../../src/index";
import { startHostileRegistry, type Behaviour, type HostileRegistry } from "../../../support/hostile-registry";

let registry: HostileRegistry;

beforeAll(async () => {
  registry = await startHostileRegistry({ label: "answers" });
});
afterAll(async () => {
  await registry.close();
});

function client(): ContainerRegistryClient {
  return new ContainerRegistryClient(
    registry.url,
    new BasicCredential(registry.secrets.username, registry.secrets.password),
    {
      retry: { limit: 0, backoffLimitMs: 20 },
    },
  );
}

/** Whatever the request, this status and body. */
const answering =
  (status: number, body: Uint8Array | string, headers: Record<string, string> = {}): Behaviour =>
  (req, res) => {
    req.resume();
    res.writeHead(status, headers).end(body);
  };

async function failure(operation: Promise<unknown>): Promise<RegistryError> {
  const error = await operation.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(RegistryError);
  return error as RegistryError;
}

/** C0 controls but tab, line feed and carriage return, DEL, and the replacement character of undecodable bytes. */
// oxlint-disable-next-line no-control-regex -- matching control characters is the point: they show a garbled message
const GARBLE = /[\u0000-\u0008\u000b-\u000c\u000e-\u001f\u007f\uFFFD]/;

describe("a body that is not text", () => {
  const binary = gzipSync(
    Buffer.from("the registry's error page, compressed, sent without Content-Encoding ".repeat(20)),
  );

  it("is summarized as its type and length (declared), never its bytes", async () => {
    registry.behave(
      answering(500, binary, {
        "content-type": "application/octet-stream",
        "content-length": String(binary.byteLength),
      }),
    );
    const error = await failure(client().getManifest("app", "v1"));
    expect(error.statusCode).toBe(500);
    expect(error.bodySnippet).toBe(`a body that is not text (application/octet-stream, ${binary.byteLength} bytes)`);
    expect(error.message).toContain(error.bodySnippet);
    expect(error.message).not.toMatch(GARBLE);
  });

  it("is summarized with the bytes read when no length is declared, and without a type when none is sent", async () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, index) => (index * 37) % 256);
    registry.behave((req, res) => {
      req.resume();
      res.removeHeader("content-type");
      res.writeHead(404, { "transfer-encoding": "chunked" });
      res.end(bytes);
    });
    const error = await failure(client().getManifest("app", "v1"));
    expect(error.statusCode).toBe(404);
    expect(error.bodySnippet).toBe("a body that is not text (no Content-Type, 300 bytes)");
    expect(error.message).not.toMatch(GARBLE);
  });

  it("leaves a text body as text, a Latin-1 page included (its accents replaced)", async () => {
    const latin1 = Uint8Array.from(Buffer.from("<h1>Fehler: Speicher überlastet</h1>", "latin1"));
    registry.behave(answering(503, latin1, { "content-type": "text/html; charset=iso-8859-1" }));
    const error = await failure(client().getManifest("app", "v1"));
    expect(error.statusCode).toBe(503);
    expect(error.bodySnippet).toMatch(/^Fehler: Speicher .berlastet$/);
  });
});

describe("an upload session whose status does not continue the bytes it had confirmed", () => {
  it("reports the status answer the registry sent, at the session's URL, not a 416 nobody sent", async () => {
    const session = "/v2/app/blobs/uploads/session-1";
    registry.behave((req, res) => {
      req.resume();
      if (req.method === "POST") {
        res.writeHead(202, { location: session, range: "0-0", "content-length": "0" }).end();
      } else if (req.method === "GET" && req.url?.startsWith(session)) {
        // More bytes than the client ever sent: this session is not the client's upload any more.
        res.writeHead(204, { location: session, range: "0-999999", "content-length": "0" }).end();
      } else if (req.method === "HEAD") {
        res.writeHead(404, { "content-length": "0" }).end();
      } else {
        res.writeHead(500, { "content-length": "0" }).end();
      }
    });
    const error = await client()
      .uploadBlob("app", new Uint8Array(1000).fill(7), { maxResumes: 1 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UploadInterruptedError);
    const answer = (error as UploadInterruptedError).cause;
    expect(answer).toBeInstanceOf(RegistryError);
    const registryError = answer as RegistryError;
    expect(registryError.statusCode).toBe(204);
    expect(registryError.method).toBe("GET");
    expect(registryError.url).toBe(`${registry.url}${session}`);
    expect(registryError.message).toContain("holding 1000000 bytes");
    expect(registry.log.some((entry) => entry.method === "GET" && entry.url === session)).toBe(true);
  });
});
