/**
 * A real redis-server for the tests (Debian's, from scripts/install-peers.sh): each test file
 * starts its own on a free loopback port, with persistence off, and stops it. Where
 * redis-server is absent the suites that need it are skipped, visibly, through Jest.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { bindUnusedPort } from "@tornado/testing";

function findRedisServer(): string | null {
  for (const dir of ["/usr/bin", "/usr/local/bin", ...(process.env.PATH ?? "").split(delimiter)]) {
    const candidate = join(dir, "redis-server");
    if (dir !== "" && existsSync(candidate)) return candidate;
  }
  return null;
}

export const REDIS_SERVER = findRedisServer();
export const hasRedis = REDIS_SERVER !== null;
export const SKIP_REASON = "skipped: redis-server is not installed (apt-get install redis-server)";

/** `describe` when redis-server is installed, else `describe.skip` plus a visible skipped test saying why. */
export function describeWithRedis(name: string, body: () => void): void {
  if (hasRedis) {
    describe(name, body);
  } else {
    describe(name, () => {
      it.skip(SKIP_REASON, () => undefined);
    });
  }
}

/** A free loopback port (bound, then released). */
export async function freePort(): Promise<number> {
  const { server, port } = await bindUnusedPort();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export class RedisServer {
  readonly port: number;
  #child: ChildProcess | null = null;

  private constructor(port: number) {
    this.port = port;
  }

  /** Starts a redis-server on a free port; resolves once it accepts connections. */
  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.#child !== null;
  }

  /** Starts it again on the same port (after stop()). */
  restart(): Promise<void> {
    if (this.#child !== null) throw new Error("redis-server is already running");
    const child = spawn(
      REDIS_SERVER!,
      ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    this.#child = child;
    return new Promise((resolve, reject) => {
      let output = "";
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (/Ready to accept connections/.test(output)) {
          child.stdout!.off("data", onData);
          child.stdout!.resume();
          child.off("exit", onExit);
          resolve();
        }
      };
      const onExit = (code: number | null): void => {
        this.#child = null;
        reject(new Error(`redis-server exited with ${code}: ${output}`));
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.once("exit", onExit);
    });
  }

  /** Stops it (SIGKILL: connections drop as in a crash) and resolves once it exited. */
  stop(): Promise<void> {
    const child = this.#child;
    if (child === null) return Promise.resolve();
    this.#child = null;
    return new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
  }
}
