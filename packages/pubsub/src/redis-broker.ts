/**
 * RedisBroker: publish/subscribe across processes and machines through Redis, on node-redis.
 * Two connections (PUBLISH on one, SUBSCRIBE on the other, which Redis reserves for pub/sub),
 * messages in a binary envelope carrying the publishing broker's id, reconnection with
 * exponential backoff, and a typed error when Redis cannot be reached at the start.
 *
 * Delivery is Redis pub/sub's: at-most-once, in order per publisher, never duplicated. What is
 * lost is what Redis does not hold for a subscriber that is not connected: see the README's
 * "Delivery guarantees".
 */

import type { RedisClientOptions, RedisClientType } from "redis";
import { genLog } from "@tornado/ioloop";
import { checkCallback, checkPositive } from "@tornado/util";
import { checkChannel, checkPayload, type Broker, type BrokerListener, type BrokerPayload, type SubscribeOptions, type Unsubscribe } from "./broker";
import { decodeEnvelope, encodeEnvelope } from "./envelope";
import { BrokerClosedError, BrokerDisconnectedError, BrokerError, BrokerUnreachableError } from "./errors";
import { randomOrigin } from "./origin";
import { SequenceTracker } from "./sequence-tracker";
import { Subscriptions, type Subscription } from "./subscriptions";

/** Options of RedisBroker. Times in seconds. */
export interface RedisBrokerOptions {
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

/** Where a RedisBroker stands: see RedisBroker.state. */
export type RedisBrokerState = "idle" | "connecting" | "live" | "reconnecting" | "closed";

/** Counters since the broker was made. */
export interface RedisBrokerStats {
  /** Messages Redis accepted from this broker. */
  published: number;
  /** Envelopes received (own messages included). */
  received: number;
  /** Gaps in the sequence of an origin on a channel: messages this broker never received. */
  missed: number;
  /** Messages on a subscribed channel that were not envelopes, dropped. */
  malformed: number;
  /** Outages recovered from (both connections back, subscriptions restored). */
  reconnects: number;
}

type RedisClient = RedisClientType;
type RedisModule = typeof import("redis");

let redisModule: RedisModule | undefined;

/** node-redis takes about 0.3 s to load: only an application that makes a RedisBroker pays it. */
function loadRedis(): RedisModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
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

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message || (error as { code?: string }).code || "unknown error";
}

/**
 * A Broker on Redis pub/sub. Connects on first use (or connect()); a Redis that cannot be
 * reached then rejects that call with BrokerUnreachableError. Once started it reconnects by
 * itself, logging the outage on `tornado.general` (a warning, then an info line on recovery).
 *
 * @example
 * const broker = new RedisBroker({ url: "redis://127.0.0.1:6379" });
 * const off = await broker.subscribe("news", (payload, message) => console.log(payload, message.own));
 * await broker.publish("news", "hello");
 */
export class RedisBroker implements Broker {
  readonly id: string;
  /** The Redis URL, without its password. */
  readonly url: string;
  readonly prefix: string;
  readonly stats: RedisBrokerStats = { published: 0, received: 0, missed: 0, malformed: 0, reconnects: 0 };
  readonly #idBytes: Buffer;
  readonly #options: RedisClientOptions;
  readonly #connectTimeout: number;
  readonly #reconnectDelay: number;
  readonly #maxReconnectDelay: number;
  readonly #subscriptions = new Subscriptions();
  /** Per channel: the node-redis listener and its SUBSCRIBE. */
  readonly #remote = new Map<string, { onMessage: (data: Buffer) => void; ready: Promise<void> }>();
  readonly #sequences = new Map<string, number>();
  readonly #tracker = new SequenceTracker();
  #publisher: RedisClient | null = null;
  #subscriber: RedisClient | null = null;
  #starting: Promise<void> | null = null;
  #state: RedisBrokerState = "idle";
  #outageStart = 0;
  #liveWaiters: Array<[() => void, (error: Error) => void]> = [];

  constructor(options: RedisBrokerOptions = {}) {
    if (options === null || typeof options !== "object") throw new TypeError("options must be an object");
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
    this.prefix = options.prefix ?? "tornado:";
    if (typeof this.prefix !== "string") throw new TypeError("prefix must be a string");
    this.url = redact(url);
    this.#options = { ...options.redisOptions, url };
    this.#idBytes = randomOrigin();
    this.id = this.#idBytes.toString("hex");
  }

  /**
   * `idle` until first used; `connecting` during the start; `live` while both connections are
   * up; `reconnecting` during an outage; `closed` after close().
   */
  get state(): RedisBrokerState {
    return this.#state;
  }

  /**
   * Connects both connections; resolves once both are up (at once when they are). Rejects with
   * BrokerUnreachableError when Redis cannot be reached within `connectTimeout`; a later call
   * tries again. publish() and subscribe() call it themselves.
   */
  connect(): Promise<void> {
    if (this.#state === "closed") return Promise.reject(new BrokerClosedError());
    this.#starting ??= this.#start().catch((error: unknown) => {
      this.#starting = null;
      throw error;
    });
    return this.#starting;
  }

  /**
   * Resolves when the broker is live: at once if it is, else after the start or the current
   * outage (subscriptions are restored by then). Rejects with BrokerClosedError on close().
   */
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
      socket: {
        ...this.#options.socket,
        connectTimeout: this.#connectTimeout,
        reconnectStrategy: this.#reconnectStrategy,
      },
    };
    // A publish during an outage fails at once instead of going out late, when the subscribers
    // it was meant for may have moved on; a SUBSCRIBE waits for the reconnection.
    const publisher = createClient({ ...options, disableOfflineQueue: true }) as RedisClient;
    const subscriber = createClient(options) as RedisClient;
    for (const client of [publisher, subscriber]) {
      client.on("error", this.#onError);
      client.on("ready", this.#onReady);
      client.on("reconnecting", this.#onReconnecting);
    }
    this.#publisher = publisher;
    this.#subscriber = subscriber;
    try {
      await Promise.all([publisher.connect(), subscriber.connect()]);
    } catch (error) {
      this.#publisher = this.#subscriber = null;
      for (const client of [publisher, subscriber]) if (client.isOpen) client.destroy();
      if (this.#isClosed()) throw new BrokerClosedError(undefined, { cause: error });
      this.#state = "idle";
      throw new BrokerUnreachableError(`Redis at ${this.url} is unreachable: ${messageOf(error)}`, { cause: error });
    }
    if (this.#isClosed()) {
      publisher.destroy();
      subscriber.destroy();
      throw new BrokerClosedError();
    }
    this.#state = "live";
    this.#settleLiveWaiters();
  }

  /** Read through a method: TypeScript would keep the state narrowed across an await. */
  #isClosed(): boolean {
    return this.#state === "closed";
  }

  // Shared by both clients. At the start a failure ends the attempt (connect() rejects);
  // afterwards the delay doubles from reconnectDelay up to maxReconnectDelay, with jitter so
  // that a fleet of processes does not reconnect in lockstep.
  readonly #reconnectStrategy = (retries: number): number | false => {
    if (this.#state === "connecting" || this.#state === "closed") return false;
    const ceiling = Math.min(this.#maxReconnectDelay, this.#reconnectDelay * 2 ** Math.min(retries, 30));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  };

  readonly #onError = (error: unknown): void => {
    if (this.#state === "live") this.#outage(error);
    else genLog.debug(`RedisBroker ${this.url}: ${messageOf(error)}`);
  };

  readonly #onReconnecting = (): void => {
    if (this.#state === "live") this.#outage(new Error("connection closed"));
  };

  readonly #onReady = (): void => {
    if (this.#state !== "reconnecting" || !this.#publisher?.isReady || !this.#subscriber?.isReady) return;
    this.#state = "live";
    this.stats.reconnects++;
    const seconds = ((performance.now() - this.#outageStart) / 1000).toFixed(1);
    genLog.info(`RedisBroker reconnected to ${this.url} after ${seconds} s`);
    this.#settleLiveWaiters();
  };

  #outage(error: unknown): void {
    this.#state = "reconnecting";
    this.#outageStart = performance.now();
    genLog.warning(`RedisBroker lost its connection to ${this.url} (${messageOf(error)}); reconnecting`);
  }

  #settleLiveWaiters(error?: Error): void {
    const waiters = this.#liveWaiters;
    this.#liveWaiters = [];
    for (const [resolve, reject] of waiters) {
      if (error === undefined) resolve();
      else reject(error);
    }
  }

  /**
   * Publishes `payload` to `channel` in every process. Resolves once Redis took it; rejects
   * with BrokerDisconnectedError during an outage (the message is dropped, not queued) or when
   * the connection broke before Redis answered (it may or may not have been delivered).
   */
  async publish(channel: string, payload: BrokerPayload): Promise<void> {
    checkChannel(channel);
    checkPayload(payload);
    if (this.#state !== "live") await this.connect();
    const sequence = (this.#sequences.get(channel) ?? 0) + 1;
    this.#sequences.set(channel, sequence);
    const envelope = encodeEnvelope(this.#idBytes, sequence, payload);
    try {
      await this.#publisher!.publish(this.prefix + channel, envelope);
    } catch (error) {
      throw this.#publishError(error);
    }
    this.stats.published++;
  }

  #publishError(error: unknown): Error {
    if (this.#state === "closed") return new BrokerClosedError(undefined, { cause: error });
    if (error instanceof loadRedis().ErrorReply) {
      return new BrokerError(`Redis refused PUBLISH: ${error.message}`, { cause: error });
    }
    return new BrokerDisconnectedError(`not published: the connection to Redis at ${this.url} is down (${messageOf(error)})`, {
      cause: error,
    });
  }

  /**
   * Subscribes `listener` to `channel`; resolves once Redis confirmed the subscription (after
   * the outage, if one is under way), with the function that ends it.
   */
  async subscribe(channel: string, listener: BrokerListener, options: SubscribeOptions = {}): Promise<Unsubscribe> {
    checkChannel(channel);
    checkCallback(listener, "listener");
    if (this.#state !== "live") await this.connect();
    const subscription: Subscription = { listener, skipOwn: options.skipOwn === true };
    if (this.#subscriptions.add(channel, subscription)) {
      const onMessage = (data: Buffer): void => this.#receive(channel, data);
      const ready = this.#subscriber!.subscribe(this.prefix + channel, onMessage, true);
      this.#remote.set(channel, { onMessage, ready });
    }
    try {
      await this.#remote.get(channel)!.ready;
    } catch (error) {
      await this.#unsubscribe(channel, subscription);
      if (this.#state === "closed") throw new BrokerClosedError(undefined, { cause: error });
      throw new BrokerError(`SUBSCRIBE ${channel} failed: ${messageOf(error)}`, { cause: error });
    }
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      await this.#unsubscribe(channel, subscription);
    };
  }

  async #unsubscribe(channel: string, subscription: Subscription): Promise<void> {
    if (!this.#subscriptions.remove(channel, subscription)) return;
    const remote = this.#remote.get(channel)!;
    this.#remote.delete(channel);
    this.#tracker.forget(channel);
    if (this.#state === "closed") return;
    try {
      await this.#subscriber!.unsubscribe(this.prefix + channel, remote.onMessage, true);
    } catch {
      // The connection is down: Redis forgot the subscription with it, and node-redis will not
      // restore a channel that has no listener left.
    }
  }

  #receive(channel: string, data: Buffer): void {
    const envelope = decodeEnvelope(data, this.#idBytes);
    if (envelope === null) {
      this.stats.malformed++;
      genLog.debug(`RedisBroker: dropped a message on ${JSON.stringify(channel)} that is not an envelope (${data.length} bytes)`);
      return;
    }
    this.stats.received++;
    this.stats.missed += this.#tracker.gap(channel, envelope.origin, envelope.sequence);
    this.#subscriptions.dispatch(envelope.payload, {
      channel,
      origin: envelope.origin,
      own: envelope.own,
      sequence: envelope.sequence,
    });
  }

  /**
   * Ends every subscription and closes both connections (after the commands already sent are
   * answered). Messages not yet received are lost. Safe to call twice.
   */
  async close(): Promise<void> {
    if (this.#state === "closed") return;
    const live = this.#state === "live";
    this.#state = "closed";
    this.#subscriptions.clear();
    this.#remote.clear();
    this.#settleLiveWaiters(new BrokerClosedError());
    const clients = [this.#publisher, this.#subscriber].filter((client): client is RedisClient => client !== null);
    this.#publisher = this.#subscriber = null;
    await Promise.all(
      clients.map(async (client) => {
        if (live && client.isReady) {
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
