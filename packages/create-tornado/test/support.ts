// Child processes for the scaffold's end-to-end tests: a clean npm environment, and runs that
// capture their output and are always bounded in time.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";

export const REPO_ROOT = join(__dirname, "..", "..", "..");

/**
 * The environment without what pnpm, turbo and npm pass to scripts (npm_config_*, INIT_CWD,
 * ...): npm inside the app must behave as a user's npm does.
 */
export function cleanEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|PNPM_|INIT_CWD$|TURBO_|NODE_ENV$|JEST_WORKER_ID$)/.test(name)) continue;
    environment[name] = value;
  }
  return { ...environment, ...extra };
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  readonly finished: Promise<Finished>;
}

/** Starts a command; `finished` settles on exit, or kills it (SIGKILL) after `seconds`. */
export function start(command: string, args: string[], options: SpawnOptions & { seconds: number }): Running {
  const { seconds, ...spawnOptions } = options;
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...spawnOptions });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const finished = new Promise<Finished>((resolve) => {
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${seconds} s]`;
      if (options.detached) process.kill(-child.pid!, "SIGKILL");
      else child.kill("SIGKILL");
    }, seconds * 1000);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, stdout: () => stdout, stderr: () => stderr, finished };
}

/** Runs a command to its end. */
export function run(command: string, args: string[], options: SpawnOptions & { seconds: number }): Promise<Finished> {
  return start(command, args, options).finished;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `url` until it answers (any status) or `running` exits; null if it never did. */
export async function fetchWhenUp(url: string, running: Running, seconds = 60, init?: RequestInit): Promise<Response | null> {
  const deadline = Date.now() + seconds * 1000;
  let exited = false;
  void running.finished.then(() => (exited = true));
  while (!exited && Date.now() < deadline) {
    try {
      return await fetch(url, init);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return null;
}

/** Resolves when `running`'s stdout satisfies `done`, or when it exits. */
export function outputUntil(running: Running, done: (stdout: string) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (done(running.stdout())) {
        running.child.stdout!.off("data", check);
        resolve();
      }
    };
    running.child.stdout!.on("data", check);
    void running.finished.then(() => resolve());
    check();
  });
}
