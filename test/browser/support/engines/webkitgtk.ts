/**
 * WebKitGTK's MiniBrowser from Debian, driven by WebKitWebDriver (the W3C WebDriver protocol over HTTP) on a
 * virtual X display (xvfb-run): a session navigates, runs scripts and ends; nothing more is needed here.
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";

/** Where Debian installs MiniBrowser (webkit2gtk-4.1, or 4.0 on older releases); WEBKIT_MINIBROWSER overrides it. */
export const MINIBROWSER_PATH =
  process.env.WEBKIT_MINIBROWSER ??
  [
    "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
    "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.0/MiniBrowser",
    "/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
  ].find((path) => existsSync(path)) ??
  "MiniBrowser";

/** A WebDriver error answer, with the driver's own error code and message. */
export class WebDriverError extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
  ) {
    super(`WebKitWebDriver: ${code}: ${detail}`);
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One MiniBrowser window, as a WebDriver session. */
export class WebKitSession {
  private constructor(
    private readonly driver: ChildProcess,
    private readonly base: string,
    readonly id: string,
    /** MiniBrowser's WebKitGTK version, e.g. 2.50.6. */
    readonly version: string,
  ) {}

  /** Starts WebKitWebDriver under xvfb-run and opens a session in a fresh MiniBrowser. */
  static async start(): Promise<WebKitSession> {
    const port = await freePort();
    // A process group of its own: xvfb-run's Xvfb, the driver and MiniBrowser end together.
    const driver = spawn("xvfb-run", ["-a", "WebKitWebDriver", `--port=${port}`, "--host=127.0.0.1"], {
      stdio: "ignore",
      detached: true,
    });
    const base = `http://127.0.0.1:${port}`;
    for (const deadline = Date.now() + 30_000; ;) {
      if ((await fetch(`${base}/status`).catch(() => undefined))?.ok) break;
      if (Date.now() > deadline || driver.exitCode !== null) {
        stopGroup(driver);
        throw new Error("WebKitWebDriver did not start (is webkit2gtk-driver installed, with xvfb?)");
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const capabilities = {
      alwaysMatch: {
        pageLoadStrategy: "none",
        timeouts: { script: 300_000 },
        "webkitgtk:browserOptions": { binary: MINIBROWSER_PATH, args: ["--automation"] },
      },
    };
    try {
      const session = (await command(base, "POST", "/session", { capabilities })) as {
        sessionId: string;
        capabilities: { browserVersion: string };
      };
      return new WebKitSession(driver, base, session.sessionId, session.capabilities.browserVersion);
    } catch (error) {
      stopGroup(driver);
      throw error;
    }
  }

  /** Opens `url` in the window (without waiting for it to load). */
  async navigate(url: string): Promise<void> {
    await command(this.base, "POST", `/session/${this.id}/url`, { url });
  }

  /** Runs `script` (an async function body that sees `args`) in the page, and answers what it returns. */
  async execute<T>(script: string, args: unknown[] = []): Promise<T> {
    // The page's own exception is reported in the answer, not as a WebDriver "javascript error" without its stack.
    const wrapped = `const done = arguments[arguments.length - 1];
      (async (...args) => { ${script} })(...Array.prototype.slice.call(arguments, 0, -1))
        .then((value) => done({ value }), (error) => done({ error: \`\${error}\n\${(error && error.stack) || ""}\` }));`;
    const answer = (await command(this.base, "POST", `/session/${this.id}/execute/async`, {
      script: wrapped,
      args,
    })) as { value?: T; error?: string };
    if (answer.error !== undefined) throw new Error(`in WebKit: ${answer.error}`);
    return answer.value as T;
  }

  /** Ends the session, MiniBrowser, the driver and its display. */
  async close(): Promise<void> {
    await command(this.base, "DELETE", `/session/${this.id}`).catch(() => undefined);
    stopGroup(this.driver);
  }
}

function stopGroup(child: ChildProcess): void {
  if (child.pid !== undefined && child.exitCode === null) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // Gone already.
    }
  }
}

async function command(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(base + path, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const { value } = (await response.json()) as { value: unknown };
  if (!response.ok) {
    const failure = value as { error?: string; message?: string };
    throw new WebDriverError(failure.error ?? String(response.status), failure.message ?? "");
  }
  return value;
}
