/**
 * Test PKI for the local authority: a throwaway CA, an HTTPS server certificate for 127.0.0.1/localhost signed by
 * it, and a self-signed client certificate that a test app registers for certificate credentials.
 *
 * Generated with the openssl CLI at test time so no key material is ever committed.
 * @module
 */
import { execFileSync } from "node:child_process";
import { X509Certificate, createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A certificate a test app uses to sign client assertions. */
export interface ClientCertificate {
  /** Private key (PKCS#8) followed by the certificate, as `ClientCertificateCredential` takes it. */
  pem: string;
  /** Where {@link ClientCertificate.pem} is written, for the `certificatePath` form. */
  path: string;
  /** The certificate alone (PEM). */
  certificatePem: string;
  /** SHA-1 thumbprint, hex (the JWT `x5t` header is its base64url form). */
  thumbprintSha1: string;
  /** SHA-256 thumbprint, hex (the JWT `x5t#S256` header is its base64url form). */
  thumbprintSha256: string;
}

/** Everything the authority and its clients need to speak TLS with each other. */
export interface TestPki {
  /** Folder holding every generated file. */
  dir: string;
  /** The CA certificate: trust it through `NODE_EXTRA_CA_CERTS`, the credentials' `caCertificates` option or a browser's launch options. */
  caPath: string;
  /** The CA certificate, PEM. */
  caPem: string;
  /** The server's private key, PEM. */
  serverKeyPem: string;
  /** The server's certificate (SAN IP:127.0.0.1, DNS:localhost), PEM. */
  serverCertPem: string;
  /** SHA-256 fingerprint of the server's public key (SPKI), base64: Chromium's `--ignore-certificate-errors-spki-list` takes it. */
  serverSpkiSha256: string;
  /** A self-signed client certificate for certificate credentials. */
  client: ClientCertificate;
}

function openssl(args: string[], cwd: string): void {
  execFileSync("/usr/bin/openssl", args, { cwd, stdio: "pipe" });
}

/** Generates a fresh CA, server certificate and client certificate in a new temporary folder. */
export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), "acrkit-authority-"));
  const days = ["-days", "2"];

  openssl(
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      ...days,
      "-subj",
      "/CN=acrkit test authority CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ],
    dir,
  );

  writeFileSync(
    join(dir, "server.ext"),
    "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n" +
      "extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n",
  );
  openssl(
    ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"],
    dir,
  );
  openssl(
    [
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "server.pem",
      ...days,
      "-extfile",
      "server.ext",
    ],
    dir,
  );

  openssl(
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "client.key",
      "-out",
      "client.pem",
      ...days,
      "-subj",
      "/CN=acrkit test client",
    ],
    dir,
  );

  const read = (name: string) => readFileSync(join(dir, name), "utf8");
  const serverCertPem = read("server.pem");
  const clientCertPem = read("client.pem");
  const clientPem = read("client.key") + clientCertPem;
  const clientPath = join(dir, "client-combined.pem");
  writeFileSync(clientPath, clientPem);

  const clientCert = new X509Certificate(clientCertPem);
  const spki = new X509Certificate(serverCertPem).publicKey.export({ type: "spki", format: "der" });
  return {
    dir,
    caPath: join(dir, "ca.pem"),
    caPem: read("ca.pem"),
    serverKeyPem: read("server.key"),
    serverCertPem,
    serverSpkiSha256: createHash("sha256").update(spki).digest("base64"),
    client: {
      pem: clientPem,
      path: clientPath,
      certificatePem: clientCertPem,
      thumbprintSha1: createHash("sha1").update(clientCert.raw).digest("hex"),
      thumbprintSha256: createHash("sha256").update(clientCert.raw).digest("hex"),
    },
  };
}
