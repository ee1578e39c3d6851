/**
 * AzureCliCredential and AzureDeveloperCliCredential against fake `az` and `azd` executables on PATH that print
 * exactly what the real tools print (tokens, failures, exit codes), and end to end through the emulator with
 * tokens the local authority issued.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import {
  AzureCliCredential,
  AzureDeveloperCliCredential,
  CredentialUnavailableError,
} from "../../../../src/platform/node/index";
import { type LocalAuthority, startAuthority } from "../../../support/authority/index";
import { type FakeTools, createFakeTools } from "../../../support/cli-fakes/index";
import { AZD_NOT_LOGGED_IN, AZ_NOT_LOGGED_IN, azAccessToken, azdAccessToken } from "../../../support/cli-fakes/outputs";
import { ACR_SCOPE, listThroughEmulator } from "./support";

const SECRET_OUTPUT = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.leaked-secret-token";
let authority: LocalAuthority;
let tools: FakeTools;
let restorePath: () => void;

beforeAll(async () => {
  authority = await startAuthority();
  tools = createFakeTools();
  // Only the fakes: a real az on the machine (CI runners have one) must not answer.
  restorePath = tools.usePath({ only: true });
});
afterAll(async () => {
  restorePath();
  tools.remove();
  await authority.close();
});

const inOneHour = () => Math.floor(Date.now() / 1000) + 3600;

async function unavailable(promise: Promise<unknown>): Promise<CredentialUnavailableError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CredentialUnavailableError);
  expect((err as Error).message).not.toContain(SECRET_OUTPUT);
  return err as CredentialUnavailableError;
}

describe("AzureCliCredential", () => {
  afterEach(() => tools.install("az", AZ_NOT_LOGGED_IN));

  test("runs az account get-access-token for the audience and reads accessToken and expires_on", async () => {
    const expires = inOneHour();
    tools.install("az", azAccessToken("az-token-1", expires, authority.tenantId));
    const before = tools.calls("az").length;
    const token = await new AzureCliCredential().getToken(ACR_SCOPE);
    expect(token).toEqual({ token: "az-token-1", expiresOnTimestamp: expires * 1000 });
    expect(tools.calls("az").slice(before)).toEqual([
      {
        args: ["account", "get-access-token", "--output", "json", "--resource", "https://containerregistry.azure.net"],
        stdin: "",
      },
    ]);
  });

  test("older CLIs: expiresOn in local time when there is no expires_on", async () => {
    const expires = inOneHour();
    tools.install("az", azAccessToken("az-token-2", expires, authority.tenantId, { withEpoch: false }));
    expect((await new AzureCliCredential().getToken(ACR_SCOPE)).expiresOnTimestamp).toBe(expires * 1000);
  });

  test("a tenant, from the options or the call, is passed with --tenant", async () => {
    tools.install("az", azAccessToken("az-token-3", inOneHour(), "contoso.onmicrosoft.com"));
    await new AzureCliCredential({ tenantId: "contoso.onmicrosoft.com" }).getToken(ACR_SCOPE);
    expect(tools.calls("az").at(-1)?.args.slice(-2)).toEqual(["--tenant", "contoso.onmicrosoft.com"]);
    await new AzureCliCredential({ tenantId: "contoso.onmicrosoft.com" }).getToken(ACR_SCOPE, {
      tenantId: "fabrikam-1",
    });
    expect(tools.calls("az").at(-1)?.args.slice(-2)).toEqual(["--tenant", "fabrikam-1"]);
  });

  test("not logged in: unavailable, saying to run az login", async () => {
    tools.install("az", AZ_NOT_LOGGED_IN);
    const err = await unavailable(new AzureCliCredential().getToken(ACR_SCOPE));
    expect(err.message).toBe("AzureCliCredential is unavailable: not signed in to `az`: run `az login`");
    expect(err.credentialName).toBe("AzureCliCredential");
  });

  test("az not installed: unavailable, saying so", async () => {
    const empty = createFakeTools();
    const restore = empty.usePath({ only: true });
    try {
      const err = await unavailable(new AzureCliCredential().getToken(ACR_SCOPE));
      expect(err.message).toContain("`az` is not installed or not on PATH");
    } finally {
      restore();
      empty.remove();
    }
  });

  test("a slow az is killed after timeoutMs", async () => {
    tools.install("az", { ...azAccessToken("late", inOneHour(), "t"), sleepSeconds: 5 });
    const err = await unavailable(new AzureCliCredential({ timeoutMs: 300 }).getToken(ACR_SCOPE));
    expect(err.message).toContain("`az` did not finish within 300 ms");
  });

  test("output that is not a token is reported without repeating it", async () => {
    tools.install("az", { stdout: `WARNING: something\n{"accessToken": "${SECRET_OUTPUT}"` });
    expect((await unavailable(new AzureCliCredential().getToken(ACR_SCOPE))).message).toContain(
      "not the expected JSON object",
    );
    tools.install("az", { stdout: JSON.stringify({ accessToken: SECRET_OUTPUT, expiresOn: "soon" }) });
    expect((await unavailable(new AzureCliCredential().getToken(ACR_SCOPE))).message).toContain(
      "an expiry that is not a date",
    );
    tools.install("az", { stdout: JSON.stringify({ expires_on: inOneHour() }) });
    expect((await unavailable(new AzureCliCredential().getToken(ACR_SCOPE))).message).toContain(
      "without a accessToken",
    );
  });

  test("an aborted call stops az and rejects with the signal's reason", async () => {
    tools.install("az", { ...azAccessToken("late", inOneHour(), "t"), sleepSeconds: 5 });
    const controller = new AbortController();
    const pending = new AzureCliCredential().getToken(ACR_SCOPE, { abortSignal: controller.signal });
    setTimeout(() => controller.abort(new Error("user cancelled")), 100);
    await expect(pending).rejects.toThrow("user cancelled");
  });

  test("a tool that prints without end is stopped at 1 MiB", async () => {
    tools.install("az", { stdout: "x".repeat(1024 * 1024 + 10) });
    expect((await unavailable(new AzureCliCredential().getToken(ACR_SCOPE))).message).toContain(
      "`az` printed more than 1048576 bytes",
    );
  });

  test("other failures: the exit code and the first line of stderr, never stdout", async () => {
    tools.install("az", {
      stdout: SECRET_OUTPUT,
      stderr: "ERROR: AADSTS700082: The refresh token has expired due to inactivity.\nTrace ID: 1\n",
      exitCode: 1,
    });
    const err = await unavailable(new AzureCliCredential().getToken(ACR_SCOPE));
    expect(err.message).toBe(
      "AzureCliCredential is unavailable: `az` failed with exit code 1: ERROR: AADSTS700082: The refresh token has expired due to inactivity.",
    );
  });

  test("bad tenants and scopes are TypeErrors naming them, before az runs", async () => {
    const before = tools.calls("az").length;
    expect(() => new AzureCliCredential({ tenantId: "x; rm -rf /" })).toThrow(/tenant id .*"x; rm -rf \/"/);
    await expect(new AzureCliCredential().getToken(ACR_SCOPE, { tenantId: "a b" })).rejects.toThrow(TypeError);
    await expect(new AzureCliCredential().getToken("https://x/.default & calc")).rejects.toThrow(
      /characters a scope cannot have: "https:\/\/x\/.default & calc"/,
    );
    await expect(
      new AzureCliCredential().getToken([ACR_SCOPE, "https://management.azure.com/.default"]),
    ).rejects.toThrow(/exactly one scope/);
    expect(() => new AzureCliCredential({ timeoutMs: 0 })).toThrow(RangeError);
    expect(tools.calls("az").length).toBe(before);
  });

  test("end to end: the token az prints lists repositories through the emulator's exchange", async () => {
    const issued = authority.issueAccessToken({ audience: "https://containerregistry.azure.net" });
    tools.install("az", azAccessToken(issued.token, inOneHour(), authority.tenantId));
    expect(await listThroughEmulator(authority, new AzureCliCredential(), "from/az-login")).toEqual(["from/az-login"]);
  });
});

describe("AzureDeveloperCliCredential", () => {
  afterEach(() => tools.install("azd", AZD_NOT_LOGGED_IN));

  test("runs azd auth token for the scope and reads token and expiresOn", async () => {
    const expires = inOneHour();
    tools.install("azd", azdAccessToken("azd-token-1", expires));
    const token = await new AzureDeveloperCliCredential({ tenantId: authority.tenantId }).getToken(ACR_SCOPE);
    expect(token).toEqual({ token: "azd-token-1", expiresOnTimestamp: expires * 1000 });
    expect(tools.calls("azd").at(-1)).toEqual({
      args: ["auth", "token", "--output", "json", "--scope", ACR_SCOPE, "--tenant-id", authority.tenantId],
      stdin: "",
    });
  });

  test("not logged in, not installed, slow: unavailable with the reason", async () => {
    tools.install("azd", AZD_NOT_LOGGED_IN);
    expect((await unavailable(new AzureDeveloperCliCredential().getToken(ACR_SCOPE))).message).toBe(
      "AzureDeveloperCliCredential is unavailable: not signed in to `azd`: run `azd auth login`",
    );
    tools.install("azd", { ...azdAccessToken("late", inOneHour()), sleepSeconds: 5 });
    expect(
      (await unavailable(new AzureDeveloperCliCredential({ timeoutMs: 300 }).getToken(ACR_SCOPE))).message,
    ).toContain("did not finish within 300 ms");
    tools.install("azd", { stdout: `{"token": "${SECRET_OUTPUT}", "expiresOn": 12}` });
    expect((await unavailable(new AzureDeveloperCliCredential().getToken(ACR_SCOPE))).message).toContain(
      "an expiry that is not a date",
    );
    const empty = createFakeTools();
    const restore = empty.usePath({ only: true });
    try {
      expect((await unavailable(new AzureDeveloperCliCredential().getToken(ACR_SCOPE))).message).toContain(
        "`azd` is not installed",
      );
    } finally {
      restore();
      empty.remove();
    }
  });

  test("end to end: the token azd prints lists repositories through the emulator's exchange", async () => {
    const issued = authority.issueAccessToken({ audience: "https://containerregistry.azure.net" });
    tools.install("azd", azdAccessToken(issued.token, inOneHour()));
    expect(await listThroughEmulator(authority, new AzureDeveloperCliCredential(), "from/azd")).toEqual(["from/azd"]);
  });
});
