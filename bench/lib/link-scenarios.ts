/**
 * The scenarios over the link model: one 128 MiB blob up and down through a link of a given round trip and rate per
 * connection, acrkit against curl's two ways of uploading and against curl | openssl; and acrkit against
 * `@azure/container-registry`, both talking HTTPS to the emulator through the same kind of link.
 * @module
 */
import {
  curlStreamedPatchScript,
  curlUploadScript,
  curlVerifiedDownloadScript,
  runCommand,
  type CommandResult,
} from "./external";
import type { RunningLink } from "./link";
import { describeLink } from "./link-shape";
import type { Sample } from "./report";
import type { Task } from "./tasks";

/** Registries as the report names them. */
export type RegistryName = "docker-registry" | "emulator (https)";

/** Registers one contender of one scenario. */
export type AddContender = (scenario: string, registry: RegistryName, name: string, run: () => Promise<Sample>) => void;

/** What the link scenarios need from the orchestrator. */
export interface LinkSetup {
  add: AddContender;
  worker: (task: Task) => Promise<Sample>;
  /** Links to docker-registry (plain HTTP), one per round trip measured. */
  dockerLinks: readonly RunningLink[];
  /** A link to the emulator (HTTPS) with the shape of the first docker link. */
  emulatorLink: RunningLink;
  /** The blob, already in docker-registry's `repository` for the downloads. */
  blob: { path: string; size: number; digest: string };
  repository: string;
}

/** The scenario name of a link's transfers, e.g. `upload 128 MiB, 40 ms RTT, 50 MB/s`. */
export function linkScenario(direction: "upload" | "download", bytes: number, link: RunningLink): string {
  return `${direction} ${bytes / (1024 * 1024)} MiB, ${describeLink(link.shape)}`;
}

function external(result: CommandResult, bytes: number): Sample {
  return { ms: result.ms, bytes, rssPeakMiB: result.rssPeakMiB };
}

/** Adds every contender of the link scenarios. */
export function addLinkContenders(setup: LinkSetup): void {
  const { add, worker, blob, repository } = setup;
  const D = "docker-registry" as const;
  // Every upload goes to a repository of its own, so that no contender can skip it because the blob is there already.
  let uploads = 0;
  const fresh = () => `${repository}-up${(uploads++).toString(36)}`;
  for (const link of setup.dockerLinks) {
    const url = `http://${link.host}`;
    const upload = linkScenario("upload", blob.size, link);
    add(upload, D, "curl (POST + PUT)", async () =>
      external(await runCommand(curlUploadScript(url, fresh(), blob.path, blob.digest)), blob.size),
    );
    add(upload, D, "curl (POST + streamed PATCH + PUT)", async () =>
      external(await runCommand(curlStreamedPatchScript(url, fresh(), blob.path, blob.digest)), blob.size),
    );
    add(upload, D, "acrkit/node", () =>
      worker({ kind: "upload", impl: "acrkit-native", url, emulator: false, repository: fresh(), file: blob.path }),
    );
    const download = linkScenario("download", blob.size, link);
    add(download, D, "curl | openssl dgst", async () =>
      external(await runCommand(curlVerifiedDownloadScript(url, repository, blob.digest)), blob.size),
    );
    add(download, D, "acrkit/node", () =>
      worker({ kind: "download", impl: "acrkit-native", url, emulator: false, repository, digest: blob.digest }),
    );
  }
  // The SDK refuses http://, so this comparison is against the emulator over HTTPS, through a link of the same shape.
  const secure = `https://${setup.emulatorLink.host}`;
  const sdkScenario = linkScenario("upload", blob.size, setup.emulatorLink);
  for (const impl of ["acrkit-native", "azure"] as const) {
    const name = impl === "azure" ? "@azure/container-registry" : "acrkit/node";
    // One-segment names: the SDK sends a slash as %2F (see "Other findings").
    add(sdkScenario, "emulator (https)", name, () =>
      worker({
        kind: "upload",
        impl,
        url: secure,
        emulator: true,
        repository: fresh().replaceAll("/", ""),
        file: blob.path,
      }),
    );
  }
}
