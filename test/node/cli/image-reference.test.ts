/**
 * The image-reference grammar of the command line (`parseImageReference`): registry references and OCI layouts,
 * and the mistakes it names before any request.
 */
import { describe, expect, test } from "vitest";
import { formatImageReference, parseImageReference, registryEndpoint } from "../../../src/index";

const DIGEST = `sha256:${"ab".repeat(32)}`;

describe("parseImageReference", () => {
  test.each([
    ["myregistry.azurecr.io", { kind: "registry", registry: "myregistry.azurecr.io" }],
    ["MyRegistry.azurecr.io/team/app", { kind: "registry", registry: "myregistry.azurecr.io", repository: "team/app" }],
    ["127.0.0.1:5000/app:v1.2", { kind: "registry", registry: "127.0.0.1:5000", repository: "app", tag: "v1.2" }],
    [`localhost/app@${DIGEST}`, { kind: "registry", registry: "localhost", repository: "app", digest: DIGEST }],
    [
      `[::1]:5000/a/b:t@${DIGEST}`,
      { kind: "registry", registry: "[::1]:5000", repository: "a/b", tag: "t", digest: DIGEST },
    ],
    ["oci:./layout", { kind: "oci-layout", path: "./layout" }],
    ["oci:/tmp/layout:v1", { kind: "oci-layout", path: "/tmp/layout", tag: "v1" }],
    ["oci:C:\\layouts\\app", { kind: "oci-layout", path: "C:\\layouts\\app" }],
  ])("%s", (text, expected) => {
    expect(parseImageReference(text)).toEqual(expected);
  });

  test.each([
    ["app:v1", /not a registry host/],
    ["docker.io/Upper/app", /Invalid repository name/],
    ["https://myregistry.azurecr.io/app", /without a scheme/],
    ["r.io/app:bad tag", /Invalid tag/],
    ["r.io/app@sha256:short", /Invalid digest/],
    ["oci:", /needs a directory/],
  ])("refuses %s", (text, message) => {
    expect(() => parseImageReference(text)).toThrow(message);
  });

  test("formats back, and loopback registries are http", () => {
    const parsed = parseImageReference(`127.0.0.1:5000/app:v1@${DIGEST}`);
    expect(parsed.kind === "registry" && formatImageReference(parsed)).toBe(`127.0.0.1:5000/app:v1@${DIGEST}`);
    expect(registryEndpoint("127.0.0.1:5000")).toBe("http://127.0.0.1:5000");
    expect(registryEndpoint("localhost:5000")).toBe("http://localhost:5000");
    expect(registryEndpoint("myregistry.azurecr.io")).toBe("https://myregistry.azurecr.io");
  });
});
