/**
 * Validates the link model against arithmetic: curl PUTs a 32 MiB blob to docker-registry through the link proxy
 * (50 MB/s, 40 ms round trip by default) and GETs it back; each should take the serialisation time (size / rate)
 * plus a few round trips (TCP handshake, the POST, the PUT's answer). Prints one line per transfer and a JSON summary.
 *
 * Usage: `npx tsx bench/link-check.ts [round trip ms] [MB/s] [MiB]`.
 * @module
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startDockerRegistry } from "../test/support/docker-registry";
import { curlDownloadScript, curlUploadScript, runCommand } from "./lib/external";
import { ensureRandomFile } from "./lib/fixtures";
import { startLink } from "./lib/link";
import { ROOT } from "./lib/spawn";

const [rttArgument = "40", rateArgument = "50", mibArgument = "32"] = process.argv.slice(2);
const shape = { roundTripMs: Number(rttArgument), bytesPerSecond: Number(rateArgument) * 1e6 };
const size = Number(mibArgument) * 1024 * 1024;
mkdirSync(join(ROOT, "bench/.work"), { recursive: true });
const file = ensureRandomFile(join(ROOT, `bench/.work/blob-${mibArgument}m.bin`), size);
const docker = await startDockerRegistry();
const link = await startLink(new URL(docker.url).host, shape);
try {
  const serialisation = (size / shape.bytesPerSecond) * 1000;
  // The same transfers straight to the registry: what the link adds is the difference.
  const directUpload = await runCommand(curlUploadScript(docker.url, "check/direct", file.path, file.digest));
  const directDownload = await runCommand(curlDownloadScript(docker.url, "check/direct", file.digest));
  const upload = await runCommand(curlUploadScript(`http://${link.host}`, "check/link", file.path, file.digest));
  const download = await runCommand(curlDownloadScript(`http://${link.host}`, "check/link", file.digest));
  // Round trips the link adds beyond serialisation. Expected: PUT 4 (POST: handshake + answer; PUT: handshake +
  // answer), GET 2 (handshake + request); TCP slow start is not modelled.
  const extraRoundTrips = (linked: number, direct: number) =>
    Number(((linked - direct - serialisation) / shape.roundTripMs).toFixed(1));
  const summary = {
    link: `${shape.roundTripMs} ms round trip, ${shape.bytesPerSecond / 1e6} MB/s`,
    bytes: size,
    serialisationMs: Math.round(serialisation),
    // POST: handshake + request/answer; PUT: handshake (a new curl) + the body + the answer.
    uploadMs: Math.round(upload.ms),
    directUploadMs: Math.round(directUpload.ms),
    uploadExtraRoundTrips: extraRoundTrips(upload.ms, directUpload.ms),
    downloadMs: Math.round(download.ms),
    directDownloadMs: Math.round(directDownload.ms),
    downloadExtraRoundTrips: extraRoundTrips(download.ms, directDownload.ms),
  };
  const line = (what: string, linked: number, direct: number, extra: number, expected: number) =>
    `${what} ${mibArgument} MiB through the link: ${linked} ms = direct ${direct} ms + serialisation ${summary.serialisationMs} ms + ${extra} round trips (expected ${expected})\n`;
  process.stderr.write(
    line("curl POST + PUT", summary.uploadMs, summary.directUploadMs, summary.uploadExtraRoundTrips, 4),
  );
  process.stderr.write(
    line("curl GET", summary.downloadMs, summary.directDownloadMs, summary.downloadExtraRoundTrips, 2),
  );
  process.stdout.write(`${JSON.stringify(summary)}\n`);
} finally {
  await link.close();
  await docker.stop();
}
