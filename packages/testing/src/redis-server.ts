/**
 * A real redis-server for tests of code that talks to Redis: Debian's program (apt-get install
 * redis-server) on a free 127.0.0.1 port with persistence off, stopped as a crash stops it and
 * started again on the same port, so that a test can see its clients reconnect. Where the
 * program is absent, the tests that need it report as skipped, with the reason in their name.
 * Tornado has none (its tests need no Redis).
 */

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { bindUnusedPort } from "./bind-unused-port";
import { RedisServerError } from "./errors";

function findRedisServer(): string | null {
  for (const dir of [...(process.env.PATH ?? "").split(delimiter), "/usr/bin", "/usr/local/bin", "/usr/sbin"]) {
    if (dir === "") continue;
    const candidate = join(dir, "redis-server");
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

const REDIS_SERVER = findRedisServer();

/** True when redis-server is installed (on PATH, or in /usr/bin, /usr/local/bin, /usr/sbin). */
export const hasRedisServer = REDIS_SERVER !== null;

const NOT_INSTALLED = "redis-server is not installed (apt-get install redis-server)";
const MISSING = `skipped: ${NOT_INSTALLED}`;

/** A running redis-server of a test; `startRedisServer()` makes one. */
export class RedisServer {
  /** The loopback port it listens on, the same after `restart()`. */
  readonly port: number;
  #child: ChildProcess | null = null;

  private constructor(port: number) {
    this.port = port;
  }

  /** Starts one on a free 127.0.0.1 port; see `startRedisServer`. */
  static async start(): Promise<RedisServer> {
    const { server, port } = await bindUnusedPort();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const redis = new RedisServer(port);
    await redis.restart();
    return redis;
  }

  /** `redis://127.0.0.1:<port>`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** False after `stop()`, until `restart()`. */
  get running(): boolean {
    return this.#child !== null;
  }

  /**
   * Starts it (again, after `stop()`) on the same port, with no RDB snapshots and no AOF;
   * resolves once it accepts connections. RedisServerError when it is running already, when
   * redis-server is not installed, or when it exits first (its output in the message).
   */
  restart(): Promise<void> {
    if (this.#child !== null) return Promise.reject(new RedisServerError(`redis-server is already running on port ${this.port}`));
    if (REDIS_SERVER === null) return Promise.reject(new RedisServerError(NOT_INSTALLED));
    const child = spawn(REDIS_SERVER, ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.#child = child;
    return new Promise((resolve, reject) => {
      let output = "";
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        // Its log line once the listening socket is open: connections are answered from then on.
        if (!/Ready to accept connections/.test(output)) return;
        child.stdout!.off("data", onData);
        child.stdout!.resume();
        child.off("exit", onExit);
        resolve();
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
        this.#child = null;
        reject(new RedisServerError(`redis-server on port ${this.port} exited with ${code ?? signal} before it was ready: ${output.trim()}`));
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.once("error", (error) => {
        this.#child = null;
        reject(new RedisServerError(`cannot run ${REDIS_SERVER}: ${error.message}`, { cause: error }));
      });
      child.once("exit", onExit);
    });
  }

  /** Kills it (SIGKILL: its clients lose their connections as in a crash); resolves once it exited. */
  stop(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
  }
}

/**
 * Starts a redis-server on a free 127.0.0.1 port (no persistence) and resolves once it
 * accepts connections; `stop()` it when the test is done. RedisServerError when it cannot.
 */
export function startRedisServer(): Promise<RedisServer> {
  return RedisServer.start();
}

type Body = () => void;
type TestBody = () => Promise<void> | void;

interface JestLike {
  describe: ((name: string, body: Body) => void) & { skip: (name: string, body: Body) => void };
  it: ((name: string, body: TestBody, timeout?: number) => void) & { skip: (name: string, body: TestBody, timeout?: number) => void };
}

interface NodeTest {
  describe(name: string, options: { skip: string | false }, body: Body): void;
  it(name: string, options: { skip: string | false; timeout?: number }, body: TestBody): void;
}

/** Jest's globals when they exist, else node:test's (imported only then: Jest cannot resolve it). */
function runner(): { jest: JestLike } | { node: NodeTest } {
  const globals = globalThis as Partial<JestLike>;
  if (typeof globals.describe === "function" && typeof globals.it === "function") return { jest: globals as JestLike };
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an import would make Jest resolve node:test
  return { node: require("node:test") as NodeTest };
}

/**
 * `describe` where redis-server is installed; elsewhere the block's tests report as skipped
 * and its name says why. Jest's globals, else node:test's.
 */
export function describeWithRedisServer(name: string, body: Body): void {
  const test = runner();
  if ("node" in test) return test.node.describe(name, { skip: hasRedisServer ? false : MISSING }, body);
  if (hasRedisServer) test.jest.describe(name, body);
  else test.jest.describe.skip(`${name} (${MISSING})`, body);
}

/** `it` where redis-server is installed; elsewhere a skipped test whose name says why. `timeout` in ms. */
export function itWithRedisServer(name: string, body: TestBody, timeout?: number): void {
  const test = runner();
  if ("node" in test) return test.node.it(name, { skip: hasRedisServer ? false : MISSING, timeout }, body);
  if (hasRedisServer) test.jest.it(name, body, timeout);
  else test.jest.it.skip(`${name} (${MISSING})`, body, timeout);
}
