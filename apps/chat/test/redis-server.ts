/**
 * A real redis-server for the tests that cross processes (Debian's, from
 * scripts/install-peers.sh), on a free loopback port with persistence off. The approach of
 * packages/pubsub/test/redis-server.ts (a test file, not exported), reduced to what the chat
 * needs. Where redis-server is absent those tests are skipped, visibly, through Jest.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { bindUnusedPort } from "@tornado/tornado";

function findRedisServer(): string | null {
  for (const dir of ["/usr/bin", "/usr/local/bin", ...(process.env.PATH ?? "").split(delimiter)]) {
    const candidate = join(dir, "redis-server");
    if (dir !== "" && existsSync(candidate)) return candidate;
  }
  return null;
}

export const REDIS_SERVER = findRedisServer();
/** Why the Redis tests cannot run here, or null. */
export const redisMissing = REDIS_SERVER === null ? "redis-server is not installed (bash scripts/install-peers.sh)" : null;

/** `it`, or `it.skip` with "(skipped: <why>)" in its name where redis-server is absent. */
export function itWithRedis(name: string, body: () => Promise<void>, timeout?: number): void {
  if (redisMissing === null) it(name, body, timeout);
  else it.skip(`${name} (skipped: ${redisMissing})`, body, timeout);
}

export class RedisServer {
  private constructor(
    readonly port: number,
    readonly child: ChildProcess,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts a redis-server on a free port; resolves once it accepts connections. */
  static async start(): Promise<RedisServer> {
    const { server, port } = await bindUnusedPort();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const child = spawn(REDIS_SERVER!, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (/Ready to accept connections/.test(output)) {
          child.stdout!.off("data", onData);
          child.stdout!.resume();
          child.off("exit", onExit);
          resolve();
        }
      };
      const onExit = (code: number | null): void => reject(new Error(`redis-server exited with ${code}: ${output}`));
      child.stdout!.on("data", onData);
      child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.once("exit", onExit);
    });
    return new RedisServer(port, child);
  }

  stop(): Promise<void> {
    const child = this.child;
    return new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
  }
}
