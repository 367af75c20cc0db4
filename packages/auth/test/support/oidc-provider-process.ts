/**
 * Runs test/fixtures/oidc-provider.mjs (oidc-provider, ESM-only) as a child process on
 * 127.0.0.1, so that Jest never loads it, and stops it again.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { createInterface } from "node:readline";

const FIXTURE = join(__dirname, "..", "fixtures", "oidc-provider.mjs");

export interface ProviderProcess {
  issuer: string;
  port: number;
  child: ChildProcess;
  /** Stops the provider; resolves once the process has exited. */
  stop(): Promise<void>;
}

/** Starts the provider with one client, `tornado-app`, registered for `redirectUri`. */
export async function startOidcProvider(redirectUri: string, postLogoutRedirectUri: string): Promise<ProviderProcess> {
  const child = spawn(process.execPath, [FIXTURE, "0", redirectUri, postLogoutRedirectUri], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = once(child, "exit").then(([code]) => {
    throw new Error(`oidc-provider exited with ${String(code)} before listening: ${stderr}`);
  });
  const lines = createInterface({ input: child.stdout! });
  const firstLine = once(lines, "line").then(([line]) => JSON.parse(line as string) as { port: number });
  const { port } = await Promise.race([firstLine, exited]);
  lines.close();
  exited.catch(() => {});
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const done = once(child, "exit");
    child.kill("SIGTERM");
    await done;
  };
  return { issuer: `http://127.0.0.1:${port}`, port, child, stop };
}
