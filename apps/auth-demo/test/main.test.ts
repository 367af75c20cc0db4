// The demo as `pnpm start` runs it: dist/main.js (built by turbo before the tests) prints its
// URL and the demo user, starts the local provider beside itself, and never leaves it behind:
// SIGTERM stops both (exit 0), and a SIGKILLed app's provider exits by itself.
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startAuthDemo } from "../src/server";
import { DEFAULTS } from "./helpers/demo-fixture";

const MAIN = join(__dirname, "..", "dist", "main.js");

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

// Every demo a test started, so that a failing test cannot leave one running.
const running = new Set<ChildProcess>();
afterAll(() => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

function start(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Started> {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { PATH: process.env.PATH, COOKIE_SECRET: "a secret for the start-up test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      // The start-up message is one log record, one write: its lines arrive together.
      const match = /Tornado auth demo on (http:\/\/\S+)\/\n/.exec(output);
      if (match) resolve({ child, url: match[1]!, output: () => output });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    // "close", not "exit": the output is all read by then.
    child.once("close", (code) => reject(new Error(`the demo exited with ${String(code)} before listening:\n${output}`)));
  });
}

function stop(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
  return new Promise((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.kill(signal);
  });
}

/** The pids whose parent is `pid` (from /proc, Linux). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^[0-9]+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (ppid === pid) children.push(Number(entry));
  }
  return children;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once `pid` has exited; rejects after `seconds`. The provider has no handle here to wait on. */
async function exited(pid: number, seconds = 10): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} still runs after ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("startAuthDemo", () => {
  it("stops the local provider's process with the demo", async () => {
    const demo = await startAuthDemo(DEFAULTS);
    const provider = demo.localProvider!.child;
    expect(provider.exitCode).toBeNull();
    expect((await fetch(`${demo.issuer}/.well-known/openid-configuration`)).status).toBe(200);
    await demo.stop();
    expect(provider.exitCode !== null || provider.signalCode !== null).toBe(true);
    await demo.stop(); // twice is harmless
  });
});

describe("node dist/main.js", () => {
  it("prints the URL, the local provider and the demo credentials, serves, and stops both on SIGTERM (exit 0)", async () => {
    const { child, url, output } = await start(["--port=0"]);
    const providers = childrenOf(child.pid!);
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+$/);
      expect(output()).toMatch(/local OpenID provider: http:\/\/127\.0\.0\.1:[0-9]+ \(no OIDC_ISSUER set\)/);
      expect(output()).toContain("demo user: alice, password: wonderland");
      expect(output()).not.toMatch(/Unsupported runtime|in-memory adapter/);
      expect(providers).toHaveLength(1);
      const issuer = /local OpenID provider: (\S+)/.exec(output())![1]!;
      const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { issuer: string };
      expect(discovery.issuer).toBe(issuer);
      const login = await fetch(`${url}/auth/login`, { redirect: "manual" });
      expect(login.status).toBe(302);
      expect(login.headers.get("location")).toMatch(new RegExp(`^${issuer}/auth\\?`));
    } finally {
      expect(await stop(child)).toBe(0);
    }
    await exited(providers[0]!);
  });

  it("leaves no provider behind when it is killed with SIGKILL", async () => {
    const { child } = await start(["--port=0"]);
    const providers = childrenOf(child.pid!);
    expect(providers).toHaveLength(1);
    await stop(child, "SIGKILL");
    await exited(providers[0]!);
  });

  it("uses your provider and starts none when OIDC_ISSUER is set; takes the port from PORT", async () => {
    const { child, url, output } = await start([], { PORT: "0", OIDC_ISSUER: "https://login.example", OIDC_CLIENT_ID: "demo" });
    try {
      expect(url).not.toBe("http://127.0.0.1:8888");
      expect(output()).toContain("OpenID provider: https://login.example");
      expect(output()).not.toContain("demo user");
      expect(childrenOf(child.pid!)).toEqual([]);
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });

  // Tornado's parse_command_line: --help prints the options and exits 0; a bad option, or a
  // combination the demo cannot use, is an OptionsError and the process exits 1.
  it.each([
    [["--help"], {}, /exited with 0 before listening[\s\S]*--oidc-issuer=URL +your OpenID Connect provider/],
    [["--port=0", "--prot=80"], {}, /exited with 1 before listening[\s\S]*OptionsError: Unrecognized command line option: "prot"/],
    [["--port=0"], { PROVIDER_PORT: "any" }, /exited with 1 before listening[\s\S]*environment variable PROVIDER_PORT: Option "provider_port": invalid integer: "any"/],
    [["--port=0"], { OIDC_CLIENT_ID: "demo" }, /exited with 1 before listening[\s\S]*OptionsError: --oidc_client_id and --oidc_client_secret \(OIDC_CLIENT_ID, OIDC_CLIENT_SECRET\) need --oidc_issuer/],
  ])("%j %j: says why and exits", async (args, env, expected) => {
    const failed = await start(args, env).catch((error: Error) => error);
    expect(failed instanceof Error ? failed.message : failed).toMatch(expected);
  });
});
