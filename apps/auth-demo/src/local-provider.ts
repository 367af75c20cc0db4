/**
 * The local OpenID Connect provider (provider/local-provider.mjs, oidc-provider) as a child
 * process: started with the demo user and a client registered for the app's callback, and
 * stopped again. Its stdin is a pipe the app holds, and the provider exits when it closes, so
 * it never outlives the app, even one killed with SIGKILL.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { appLog } from "@tornado/tornado";

const SCRIPT = join(__dirname, "..", "provider", "local-provider.mjs");

/** The demo user of the local provider: the credentials printed at start and shown on its sign-in page. */
export const DEMO_USER = {
  login: "alice",
  password: "wonderland",
  claims: {
    name: "Alice Liddell",
    given_name: "Alice",
    family_name: "Liddell",
    preferred_username: "alice",
    email: "alice@example.test",
    email_verified: true,
    locale: "en-GB",
  },
} as const;

/** The client id the app is registered under at the local provider. */
export const LOCAL_CLIENT_ID = "tornado-auth-demo";

export interface LocalProviderOptions {
  /** The app's OpenID Connect callback URL, registered as the client's redirect_uri. */
  redirectUri: string;
  /** Where the provider may send the browser after logout. */
  postLogoutRedirectUri: string;
  /** 127.0.0.1 port; default 0 (any free one). */
  port?: number;
}

export interface LocalProvider {
  issuer: string;
  clientId: string;
  /** Random per start. */
  clientSecret: string;
  readonly child: ChildProcess;
  /** Stops the provider; resolves once the process has exited. Safe to call twice. */
  stop(): Promise<void>;
}

// oidc-provider's notices about itself, not news for the demo's user: it supports Node 22+
// but works on 20 (a full code + PKCE flow is tested here), and the in-memory store is what a
// demo wants (nothing kept across restarts); it says both on every start.
const QUIET = /Unsupported runtime|SHOULD change it|in-memory adapter/;

function forward(stream: NodeJS.ReadableStream, log: (line: string) => void): void {
  createInterface({ input: stream }).on("line", (line) => {
    if (line.trim() !== "" && !QUIET.test(line)) log(`local provider: ${line}`);
  });
}

export async function startLocalProvider(options: LocalProviderOptions): Promise<LocalProvider> {
  const clientSecret = randomBytes(32).toString("base64url");
  const config = {
    port: options.port ?? 0,
    clientId: LOCAL_CLIENT_ID,
    clientSecret,
    redirectUris: [options.redirectUri],
    postLogoutRedirectUris: [options.postLogoutRedirectUri],
    user: DEMO_USER,
  };
  const child = spawn(process.execPath, [SCRIPT], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, LOCAL_PROVIDER_CONFIG: JSON.stringify(config) },
  });
  const exited = once(child, "exit");
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin!.end();
      child.kill("SIGTERM");
    }
    await exited;
  };

  forward(child.stderr!, (line) => appLog.warning(line));
  let stderrTail = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString("utf8")).slice(-2000);
  });
  // The first line that is our JSON says where it listens; anything else is oidc-provider talking.
  const lines = createInterface({ input: child.stdout! });
  const listening = new Promise<string>((resolve) => {
    lines.on("line", (line) => {
      if (line.startsWith('{"issuer"')) resolve((JSON.parse(line) as { issuer: string }).issuer);
      else if (line.trim() !== "" && !QUIET.test(line)) appLog.info(`local provider: ${line}`);
    });
  });
  const died = exited.then(([code, signal]) => {
    throw new Error(`the local OpenID provider exited (${String(signal ?? code)}) before listening: ${stderrTail.trim()}`);
  });
  let issuer: string;
  try {
    issuer = await Promise.race([listening, died]);
  } catch (error) {
    await stop();
    throw error;
  }
  died.catch(() => {});
  let stopping = false;
  child.once("exit", (code, signal) => {
    if (!stopping) appLog.warning(`the local OpenID provider exited unexpectedly (${String(signal ?? code)}): logins will fail`);
  });
  return {
    issuer,
    clientId: LOCAL_CLIENT_ID,
    clientSecret,
    child,
    stop() {
      stopping = true;
      return stop();
    },
  };
}
