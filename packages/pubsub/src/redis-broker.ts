/**
 * RedisBroker: publish/subscribe across processes and machines through Redis pub/sub, on
 * node-redis. Two connections (PUBLISH on one, SUBSCRIBE on the other, which Redis reserves
 * for pub/sub), messages in a binary envelope carrying the publishing broker's id, reconnection
 * with exponential backoff, and a typed error when Redis cannot be reached at the start.
 *
 * Delivery is Redis pub/sub's: at-most-once, in order per publisher, never duplicated. What is
 * lost is what Redis does not hold for a subscriber that is not connected: see the README's
 * "Delivery guarantees".
 */

import { genLog } from "@tornado/ioloop";
import { checkCallback } from "@tornado/util";
import { checkChannel, checkPayload, type Broker, type BrokerListener, type BrokerPayload, type SubscribeOptions, type Unsubscribe } from "./broker";
import { decodeEnvelope, encodeEnvelope } from "./envelope";
import { BrokerError } from "./errors";
import { randomOrigin } from "./origin";
import { messageOf, RedisConnections, type RedisBrokerState, type RedisConnectionOptions } from "./redis-connections";
import { SequenceTracker } from "./sequence-tracker";
import { Subscriptions, type Subscription } from "./subscriptions";

/** Options of RedisBroker. Times in seconds. */
export type RedisBrokerOptions = RedisConnectionOptions;

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
  /** Outages recovered from (every connection back, subscriptions restored). */
  reconnects: number;
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
  readonly #idBytes: Buffer;
  readonly #connections: RedisConnections;
  readonly #stats = { published: 0, received: 0, missed: 0, malformed: 0 };
  readonly #subscriptions = new Subscriptions();
  /** Per channel: the node-redis listener and its SUBSCRIBE. */
  readonly #remote = new Map<string, { onMessage: (data: Buffer) => void; ready: Promise<void> }>();
  readonly #sequences = new Map<string, number>();
  readonly #tracker = new SequenceTracker();

  constructor(options: RedisBrokerOptions = {}) {
    // A publish during an outage fails at once instead of going out late, when the subscribers
    // it was meant for may have moved on; a SUBSCRIBE waits for the reconnection.
    this.#connections = new RedisConnections("RedisBroker", options, [{ offlineQueue: false }, { offlineQueue: true }]);
    this.#idBytes = randomOrigin();
    this.id = this.#idBytes.toString("hex");
  }

  /** The Redis URL, without its password. */
  get url(): string {
    return this.#connections.url;
  }

  /** The channel prefix in Redis. */
  get prefix(): string {
    return this.#connections.prefix;
  }

  /**
   * `idle` until first used; `connecting` during the start; `live` while both connections are
   * up; `reconnecting` during an outage; `closed` after close().
   */
  get state(): RedisBrokerState {
    return this.#connections.state;
  }

  get stats(): Readonly<RedisBrokerStats> {
    return { ...this.#stats, reconnects: this.#connections.reconnects };
  }

  /**
   * Connects both connections; resolves once both are up (at once when they are). Rejects with
   * BrokerUnreachableError when Redis cannot be reached within `connectTimeout`; a later call
   * tries again. publish() and subscribe() call it themselves.
   */
  connect(): Promise<void> {
    return this.#connections.connect();
  }

  /**
   * Resolves when the broker is live: at once if it is, else after the start or the current
   * outage (subscriptions are restored by then). Rejects with BrokerClosedError on close().
   */
  whenLive(): Promise<void> {
    return this.#connections.whenLive();
  }

  /**
   * Publishes `payload` to `channel` in every process. Resolves once Redis took it; rejects
   * with BrokerDisconnectedError during an outage (the message is dropped, not queued) or when
   * the connection broke before Redis answered (it may or may not have been delivered).
   */
  async publish(channel: string, payload: BrokerPayload): Promise<void> {
    checkChannel(channel);
    checkPayload(payload);
    if (this.state !== "live") await this.connect();
    const sequence = (this.#sequences.get(channel) ?? 0) + 1;
    this.#sequences.set(channel, sequence);
    const envelope = encodeEnvelope(this.#idBytes, sequence, payload);
    try {
      await this.#connections.clients[0]!.publish(this.prefix + channel, envelope);
    } catch (error) {
      throw this.#connections.commandError("PUBLISH", error);
    }
    this.#stats.published++;
  }

  /**
   * Subscribes `listener` to `channel`; resolves once Redis confirmed the subscription (after
   * the outage, if one is under way), with the function that ends it.
   */
  async subscribe(channel: string, listener: BrokerListener, options: SubscribeOptions = {}): Promise<Unsubscribe> {
    checkChannel(channel);
    checkCallback(listener, "listener");
    if (this.state !== "live") await this.connect();
    const subscription: Subscription = { listener, skipOwn: options.skipOwn === true };
    if (this.#subscriptions.add(channel, subscription)) {
      const onMessage = (data: Buffer): void => this.#receive(channel, data);
      const ready = this.#connections.clients[1]!.subscribe(this.prefix + channel, onMessage, true);
      this.#remote.set(channel, { onMessage, ready });
    }
    try {
      await this.#remote.get(channel)!.ready;
    } catch (error) {
      await this.#unsubscribe(channel, subscription);
      if (this.#connections.isClosed()) throw this.#connections.commandError("SUBSCRIBE", error);
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
    if (this.#connections.isClosed()) return;
    try {
      await this.#connections.clients[1]!.unsubscribe(this.prefix + channel, remote.onMessage, true);
    } catch {
      // The connection is down: Redis forgot the subscription with it, and node-redis will not
      // restore a channel that has no listener left.
    }
  }

  #receive(channel: string, data: Buffer): void {
    const envelope = decodeEnvelope(data, this.#idBytes);
    if (envelope === null) {
      this.#stats.malformed++;
      genLog.debug(`RedisBroker: dropped a message on ${JSON.stringify(channel)} that is not an envelope (${data.length} bytes)`);
      return;
    }
    this.#stats.received++;
    this.#stats.missed += this.#tracker.gap(channel, envelope.origin, envelope.sequence);
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
    this.#subscriptions.clear();
    this.#remote.clear();
    await this.#connections.close();
  }
}
