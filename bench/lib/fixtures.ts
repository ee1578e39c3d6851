/**
 * Test data on disk under bench/.work: one large random blob, and OCI image layouts of many random layers.
 * Random bytes, so that no registry or transport can profit from compression or deduplication.
 * @module
 */
import { createHash, randomFillSync } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";

const MIB = 1024 * 1024;

/** A file of `size` random bytes and its digest; kept between runs (the digest in a sidecar file). */
export function ensureRandomFile(path: string, size: number): { path: string; size: number; digest: string } {
  const sidecar = `${path}.sha256`;
  if (existsSync(path) && existsSync(sidecar) && statSync(path).size === size) {
    return { path, size, digest: readFileSync(sidecar, "utf8").trim() };
  }
  const hash = createHash("sha256");
  const buffer = Buffer.alloc(8 * MIB);
  const fd = openSync(path, "w");
  try {
    for (let written = 0; written < size;) {
      const piece = buffer.subarray(0, Math.min(buffer.byteLength, size - written));
      randomFillSync(piece);
      hash.update(piece);
      writeSync(fd, piece);
      written += piece.byteLength;
    }
  } finally {
    closeSync(fd);
  }
  const digest = `sha256:${hash.digest("hex")}`;
  writeFileSync(sidecar, `${digest}\n`);
  return { path, size, digest };
}

function writeBlob(dir: string, bytes: Uint8Array): { digest: string; size: number } {
  const hex = createHash("sha256").update(bytes).digest("hex");
  writeFileSync(join(dir, "blobs", "sha256", hex), bytes);
  return { digest: `sha256:${hex}`, size: bytes.byteLength };
}

/** Writes a fresh OCI image layout of `layers` random layers of `layerSize` bytes, tagged `tag`. */
export function makeImageLayout(
  dir: string,
  layers: number,
  layerSize: number,
  tag: string,
): { digest: string; bytes: number } {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "blobs", "sha256"), { recursive: true });
  const layerDescriptors = Array.from({ length: layers }, () => ({
    mediaType: "application/vnd.oci.image.layer.v1.tar",
    ...writeBlob(dir, randomFillSync(new Uint8Array(layerSize))),
  }));
  const config = JSON.stringify({
    architecture: "amd64",
    os: "linux",
    rootfs: { type: "layers", diff_ids: layerDescriptors.map((layer) => layer.digest) },
  });
  const configDescriptor = {
    mediaType: "application/vnd.oci.image.config.v1+json",
    ...writeBlob(dir, new TextEncoder().encode(config)),
  };
  const manifestType = "application/vnd.oci.image.manifest.v1+json";
  const manifest = new TextEncoder().encode(
    JSON.stringify({ schemaVersion: 2, mediaType: manifestType, config: configDescriptor, layers: layerDescriptors }),
  );
  const manifestDescriptor = writeBlob(dir, manifest);
  writeFileSync(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  writeFileSync(
    join(dir, "index.json"),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        { mediaType: manifestType, ...manifestDescriptor, annotations: { "org.opencontainers.image.ref.name": tag } },
      ],
    }),
  );
  return { digest: manifestDescriptor.digest, bytes: layers * layerSize + configDescriptor.size };
}
