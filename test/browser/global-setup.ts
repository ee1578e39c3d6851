/**
 * Global setup of the browser project: starts every server the Chromium tests talk to, on the Node side, and
 * passes their URLs to the tests with `provide`; the returned teardown stops them.
 * @module
 */
import type { TestProject } from "vitest/node";
import { createCorsProxy } from "../../examples/cors-proxy/proxy";
import { startDockerRegistry } from "../support/docker-registry";
import { REGISTRY_PROFILE_NAMES } from "../../src/emulator/profiles/index";
import { startEmulator } from "../support/emulator";
import type { BrowserServers } from "./support/servers";
import { startTamperServer } from "./support/tamper-server";
import { startFaultProxy } from "../support/fault-proxy";
import { linkFaultRules } from "../support/link-faults";

/** Bytes per second of each blob read from {@link BrowserServers.cappedRegistry}. */
const CAPPED_RATE = 8e6;
const USER = { username: "browser-admin", password: "browser-suite-password" };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stops: Array<() => Promise<void>> = [];
  try {
    const users = { [USER.username]: USER.password };
    const main = await startEmulator({ cors: true, anonymousPull: true, users, defaultPageSize: 50 });
    stops.push(main.close);
    const pagingRepositories = await main.emulator.seedRepositories(7, { prefix: "browser/paging/r" });
    const metaName = "browser/meta";
    const arm64 = await main.emulator.seedImage({
      repository: metaName,
      tags: ["v1", "v2", "v3"],
      architecture: "arm64",
      os: "linux",
    });
    const amd64 = await main.emulator.seedImage({
      repository: metaName,
      tags: ["old"],
      architecture: "amd64",
      os: "linux",
      mediaType: "docker",
    });
    const platforms = [
      { os: "linux", architecture: "amd64" },
      { os: "linux", architecture: "arm64" },
    ];
    const index = await main.emulator.seedIndex({ repository: "browser/multi", tags: ["1.0"], platforms });
    const doomedRepository = "browser/doomed";
    await main.emulator.seedImage({ repository: doomedRepository, tags: ["gone"] });

    const redirecting = await startEmulator({ cors: true, redirectBlobs: true, users });
    stops.push(redirecting.close);
    const redirected = { repository: "browser/redirected", tag: "v1", layer: "" };
    const layerBytes = new TextEncoder().encode("a layer that lives on the storage origin\n".repeat(4096));
    redirected.layer = (
      await redirecting.emulator.seedImage({
        repository: redirected.repository,
        tags: [redirected.tag],
        layers: [layerBytes],
      })
    ).layerDigests[0]!;

    // The proxied emulator sends no CORS headers, like ACR: only the proxy makes it reachable from a page.
    const proxied = await startEmulator({ redirectBlobs: true, users });
    stops.push(proxied.close);
    await proxied.emulator.seedImage({
      repository: redirected.repository,
      tags: [redirected.tag],
      layers: [layerBytes],
    });
    const proxy = await createCorsProxy({ registry: proxied.url, cors: true }).listen({ host: "127.0.0.1" });
    stops.push(proxy.close);

    const open = await startEmulator({ cors: true, authRequired: false });
    stops.push(open.close);
    const tamperedBytes = new TextEncoder().encode("these bytes will be changed on the way\n".repeat(1000));
    const tampered = {
      repository: "browser/tampered",
      digest: await open.emulator.seedBlob("browser/tampered", tamperedBytes),
      size: tamperedBytes.byteLength,
    };
    const tamper = await startTamperServer(open.url);
    stops.push(tamper.close);

    const dockerRegistry = await startDockerRegistry({ cors: true });
    stops.push(dockerRegistry.stop);
    // docker-registry with every blob read paced per response, as object storage caps each flow (the link model's
    // per-connection rate): the parallel download pays there and must run in every engine.
    const cappedRules = linkFaultRules("slow-connection", {
      upstream: dockerRegistry.url,
      bytesPerSecond: CAPPED_RATE,
      slowFactor: 1,
    });
    const capped = await startFaultProxy({ upstream: dockerRegistry.url, seed: 22, rules: cappedRules });
    stops.push(capped.close);

    // One emulator per registry profile, for uploads from a page against each way real registries take them.
    const profiles: Record<string, string> = {};
    for (const profile of ["acr", "distribution", "single-request", "chunk-min", "put-limit"] as const) {
      const started = await startEmulator({ cors: true, users, profile });
      stops.push(started.close);
      profiles[profile] = started.url;
    }

    // One emulator per registry profile, for the conformance rows that run in a page (uploads and downloads).
    const registryProfiles: Record<string, string> = {};
    for (const profile of REGISTRY_PROFILE_NAMES) {
      const started = await startEmulator({ cors: true, users, profile });
      stops.push(started.close);
      registryProfiles[profile] = started.url;
    }

    const servers: BrowserServers = {
      user: USER,
      emulator: main.url,
      redirectingEmulator: redirecting.url,
      corsProxy: proxy.url,
      tamper: tamper.url,
      dockerRegistry: dockerRegistry.url,
      cappedRegistry: { url: capped.url, bytesPerSecond: CAPPED_RATE },
      profiles,
      registryProfiles,
      seeded: {
        pagingRepositories,
        metadataRepository: { name: metaName, arm64: arm64.digest, amd64: amd64.digest },
        doomedRepository,
        index: {
          repository: "browser/multi",
          tag: "1.0",
          digest: index.digest,
          platforms: index.manifests.map((manifest, position) => ({
            architecture: platforms[position]!.architecture,
            digest: manifest.digest,
            layers: manifest.layerDigests,
          })),
        },
        tampered,
        redirected,
      },
    };
    project.provide("servers", servers);
  } catch (error) {
    await stopAll(stops);
    throw error;
  }
  return () => stopAll(stops);
}

async function stopAll(stops: Array<() => Promise<void>>): Promise<void> {
  await Promise.allSettled(stops.reverse().map((stop) => stop()));
}
