/**
 * The Redis connections of a broker: made on first use, all up or a BrokerUnreachableError at
 * the start, then reconnected by node-redis with exponential backoff and jitter, the outage
 * logged once on `tornado.general`. RedisBroker and RedisStreamBroker share it.
 */

import type { RedisClientOptions, RedisClientType } from "redis";
import { genLog } from "@tornado/ioloop";
import { ArgumentTypeError, checkPositive, describeValue } from "@tornado/util";
import { BrokerClosedError, BrokerDisconnectedError, BrokerError, BrokerUnreachableError } from "./errors";

/** Connection options of the Redis brokers. Times in seconds. */
export interface RedisConnectionOptions {
  /** `redis[s]://[[user][:password]@]host[:port][/db]`; default `redis://127.0.0.1:6379`. */
  url?: string;
  /** Prepended to every channel name in Redis; default `"tornado:"`. */
  prefix?: string;
  /** Seconds to wait for each connection at the start; default 5. */
  connectTimeout?: number;
  /** Seconds before the first reconnection attempt; doubled per failure; default 0.05. */
  reconnectDelay?: number;
  /** Upper bound of the delay between reconnection attempts, seconds; default 5. */
  maxReconnectDelay?: number;
  /**
   * Further node-redis client options (`username`, `password`, `socket.tls`, `name`...). The
   * broker sets `url`, the reconnect strategy and the offline queue itself.
   */
  redisOptions?: RedisClientOptions;
}

/** Where a Redis broker stands. */
export type RedisBrokerState = "idle" | "connecting" | "live" | "reconnecting" | "closed";

export type RedisClient = RedisClientType;
type RedisModule = typeof import("redis");

let redisModule: RedisModule | undefined;

/** node-redis takes about 0.3 s to load: only an application that makes a Redis broker pays it. */
export function loadRedis(): RedisModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (see above)
  redisModule ??= require("redis") as RedisModule;
  return redisModule;
}

/** The URL without its password, for messages and logs. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return "(unparsable URL)";
  }
}

export function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message || (error as { code?: string }).code || "unknown error";
}

/**
 * One connection to make. `offlineQueue` false: its commands are rejected during an outage
 * instead of waiting for the reconnection. `blocking`: it waits in blocking commands, so it
 * is destroyed rather than closed gracefully (which would wait for their answer).
 */
export interface ConnectionSpec {
  offlineQueue: boolean;
  blocking?: boolean;
}

export class RedisConnections {
  /** The Redis URL, without its password. */
  readonly url: string;
  readonly prefix: string;
  /** The connections, in the order of the specs, once started. */
  clients: RedisClient[] = [];
  /** Outages recovered from. */
  reconnects = 0;
  readonly #options: RedisClientOptions;
  readonly #specs: readonly ConnectionSpec[];
  readonly #connectTimeout: number;
  readonly #reconnectDelay: number;
  readonly #maxReconnectDelay: number;
  readonly #owner: string;
  #starting: Promise<void> | null = null;
  #state: RedisBrokerState = "idle";
  #outageStart = 0;
  #liveWaiters: Array<[() => void, (error: Error) => void]> = [];

  constructor(owner: string, options: RedisConnectionOptions, specs: readonly ConnectionSpec[]) {
    if (options === null || typeof options !== "object") {
      throw new ArgumentTypeError(`options must be an object, got ${describeValue(options)}`);
    }
    const url = options.url ?? "redis://127.0.0.1:6379";
    if (typeof url !== "string" || !/^rediss?:\/\//.test(url)) {
      throw new BrokerError(`url must be a redis:// or rediss:// URL, got ${JSON.stringify(String(url))}`);
    }
    const seconds = (name: "connectTimeout" | "reconnectDelay" | "maxReconnectDelay", fallback: number): number => {
      const value = options[name] ?? fallback;
      checkPositive(value, name);
      return value * 1000;
    };
    this.#connectTimeout = seconds("connectTimeout", 5);
    this.#reconnectDelay = seconds("reconnectDelay", 0.05);
    this.#maxReconnectDelay = seconds("maxReconnectDelay", 5);
    const prefix = options.prefix ?? "tornado:";
    if (typeof prefix !== "string") throw new ArgumentTypeError(`prefix must be a string, got ${describeValue(prefix)}`);
    this.prefix = prefix;
    this.url = redact(url);
    this.#options = { ...options.redisOptions, url };
    this.#specs = specs;
    this.#owner = owner;
  }

  get state(): RedisBrokerState {
    return this.#state;
  }

  /** Read through a method: TypeScript would keep the state narrowed across an await. */
  isClosed(): boolean {
    return this.#state === "closed";
  }

  connect(): Promise<void> {
    if (this.#state === "closed") return Promise.reject(new BrokerClosedError());
    this.#starting ??= this.#start().catch((error: unknown) => {
      this.#starting = null;
      throw error;
    });
    return this.#starting;
  }

  whenLive(): Promise<void> {
    if (this.#state === "live") return Promise.resolve();
    if (this.#state === "closed") return Promise.reject(new BrokerClosedError());
    return new Promise((resolve, reject) => this.#liveWaiters.push([resolve, reject]));
  }

  async #start(): Promise<void> {
    this.#state = "connecting";
    const { createClient } = loadRedis();
    const options: RedisClientOptions = {
      ...this.#options,
      socket: { ...this.#options.socket, connectTimeout: this.#connectTimeout, reconnectStrategy: this.#reconnectStrategy },
    };
    const clients = this.#specs.map(({ offlineQueue }) => {
      const client = createClient({ ...options, disableOfflineQueue: !offlineQueue }) as RedisClient;
      client.on("error", this.#onError);
      client.on("ready", this.#onReady);
      client.on("reconnecting", this.#onReconnecting);
      return client;
    });
    this.clients = clients;
    try {
      await Promise.all(clients.map((client) => client.connect()));
    } catch (error) {
      this.clients = [];
      for (const client of clients) if (client.isOpen) client.destroy();
      if (this.isClosed()) throw new BrokerClosedError(undefined, { cause: error });
      this.#state = "idle";
      throw new BrokerUnreachableError(`Redis at ${this.url} is unreachable: ${messageOf(error)}`, { cause: error });
    }
    if (this.isClosed()) {
      for (const client of clients) client.destroy();
      throw new BrokerClosedError();
    }
    this.#state = "live";
    this.#settleLiveWaiters();
  }

  // At the start a failure ends the attempt (connect() rejects); afterwards the delay doubles
  // from reconnectDelay up to maxReconnectDelay, with jitter so that a fleet of processes does
  // not reconnect in lockstep.
  readonly #reconnectStrategy = (retries: number): number | false => {
    if (this.#state === "connecting" || this.#state === "closed") return false;
    const ceiling = Math.min(this.#maxReconnectDelay, this.#reconnectDelay * 2 ** Math.min(retries, 30));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  };

  readonly #onError = (error: unknown): void => {
    if (this.#state === "live") this.#outage(error);
    else genLog.debug(`${this.#owner} ${this.url}: ${messageOf(error)}`);
  };

  readonly #onReconnecting = (): void => {
    if (this.#state === "live") this.#outage(new Error("connection closed"));
  };

  readonly #onReady = (): void => {
    if (this.#state !== "reconnecting" || !this.clients.every((client) => client.isReady)) return;
    this.#state = "live";
    this.reconnects++;
    const seconds = ((performance.now() - this.#outageStart) / 1000).toFixed(1);
    genLog.info(`${this.#owner} reconnected to ${this.url} after ${seconds} s`);
    this.#settleLiveWaiters();
  };

  #outage(error: unknown): void {
    this.#state = "reconnecting";
    this.#outageStart = performance.now();
    genLog.warning(`${this.#owner} lost its connection to ${this.url} (${messageOf(error)}); reconnecting`);
  }

  #settleLiveWaiters(error?: Error): void {
    const waiters = this.#liveWaiters;
    this.#liveWaiters = [];
    for (const [resolve, reject] of waiters) {
      if (error === undefined) resolve();
      else reject(error);
    }
  }

  /** The error for a failed command: closed, refused by Redis, or the connection down. */
  commandError(command: string, error: unknown): Error {
    if (this.isClosed()) return new BrokerClosedError(undefined, { cause: error });
    if (error instanceof loadRedis().ErrorReply) return new BrokerError(`Redis refused ${command}: ${error.message}`, { cause: error });
    return new BrokerDisconnectedError(`not published: the connection to Redis at ${this.url} is down (${messageOf(error)})`, {
      cause: error,
    });
  }

  /** Closes every connection (gracefully when live). Safe to call twice. */
  async close(): Promise<void> {
    if (this.#state === "closed") return;
    const live = this.#state === "live";
    this.#state = "closed";
    this.#settleLiveWaiters(new BrokerClosedError());
    const clients = this.clients;
    this.clients = [];
    await Promise.all(
      clients.map(async (client, i) => {
        if (live && client.isReady && this.#specs[i]!.blocking !== true) {
          try {
            await client.close();
            return;
          } catch {
            // fall through to destroy
          }
        }
        if (client.isOpen) client.destroy();
      }),
    );
  }
}
