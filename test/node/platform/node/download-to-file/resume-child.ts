/**
 * The child process of the resume test: downloads a blob to a file with `resume` over several small ranges, through
 * the fault proxy whose URL is its first argument, until the test kills it.
 * @module
 */
import { ContainerRegistryClient, downloadBlobToFile } from "../../../../../src/platform/node/index";

const [url, repository, digest, path] = process.argv.slice(2);
const client = new ContainerRegistryClient(url!, undefined, {
  parallelDownloadThreshold: 1024 * 1024,
  downloadRangeSize: 256 * 1024,
  downloadWindow: 1024 * 1024,
  maxConnections: 4,
});
await downloadBlobToFile(client, repository!, digest!, path!, { resume: true });
