/**
 * A throw-away CA and a 127.0.0.1 server certificate, made with /usr/bin/openssl at run time so that no key is
 * ever committed; the child processes that speak HTTPS trust the CA through NODE_EXTRA_CA_CERTS.
 * @module
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Paths of the generated PEM files. */
export interface BenchCertificate {
  caPath: string;
  certPath: string;
  keyPath: string;
}

const OPENSSL = "/usr/bin/openssl";

/** Writes a CA and a server certificate for 127.0.0.1 and localhost into `directory`. */
export function makeCertificate(directory: string): BenchCertificate {
  mkdirSync(directory, { recursive: true });
  const path = (name: string) => join(directory, name);
  const run = (...args: string[]) => execFileSync(OPENSSL, args, { stdio: ["ignore", "ignore", "pipe"] });
  // P-256 keys: fast handshakes, and the cipher (AES-GCM) is the same for every contender anyway.
  run(
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-days",
    "2",
    "-keyout",
    path("ca.key"),
    "-out",
    path("ca.pem"),
    "-subj",
    "/CN=acrkit bench CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  );
  run(
    "req",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-keyout",
    path("server.key"),
    "-out",
    path("server.csr"),
    "-subj",
    "/CN=127.0.0.1",
  );
  writeFileSync(
    path("server.ext"),
    "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n",
  );
  run(
    "x509",
    "-req",
    "-in",
    path("server.csr"),
    "-CA",
    path("ca.pem"),
    "-CAkey",
    path("ca.key"),
    "-CAcreateserial",
    "-days",
    "2",
    "-out",
    path("server.pem"),
    "-extfile",
    path("server.ext"),
  );
  return { caPath: path("ca.pem"), certPath: path("server.pem"), keyPath: path("server.key") };
}
