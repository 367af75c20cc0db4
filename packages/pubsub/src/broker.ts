/**
 * The Broker contract: publish a message on a channel, subscribe a listener to a channel,
 * close. LocalBroker (one process) and RedisBroker (many processes, many machines) implement
 * it; so can an application's own (NATS, PostgreSQL LISTEN/NOTIFY).
 */

import { ArgumentRangeError, ArgumentTypeError, describeValue } from "@tornado/util";

/** What a message carries: text (delivered as a string) or bytes (delivered as a Buffer). */
export type BrokerPayload = string | Uint8Array;

/** What a listener learns about a message besides its payload. */
export interface BrokerMessage {
  /** The channel, as given to subscribe(). */
  readonly channel: string;
  /** The `id` of the broker that published it (32 hex digits). */
  readonly origin: string;
  /** True when this broker published it (`origin === broker.id`). */
  readonly own: boolean;
  /**
   * The publisher's count of messages on this channel, from 1; a gap between two messages of
   * one origin is a message this subscriber did not get.
   */
  readonly sequence: number;
  /**
   * RedisStreamBroker only: the stream entry id (`"<ms>-<n>"`), a cursor for `history()` and
   * `subscribe(..., { after })`.
   */
  readonly id?: string;
}

/**
 * Called once per message, in the order the broker received them from each publisher. Text
 * arrives as a string, bytes as a Buffer (the listener's own copy). A throw is logged on
 * `tornado.application` and the other listeners still run.
 */
export type BrokerListener = (payload: string | Buffer, message: BrokerMessage) => void;

/** Options of Broker.subscribe. */
export interface SubscribeOptions {
  /**
   * Skip the messages this broker published itself (`message.own`); default false. A process
   * that already delivered its own message locally (WebSocketGroup does) sets it.
   */
  skipOwn?: boolean;
}

/** Ends one subscription; calling it again does nothing. */
export type Unsubscribe = () => Promise<void>;

/**
 * Publish/subscribe across the processes that share the broker's server.
 *
 * @example
 * const off = await broker.subscribe("news", (payload) => console.log(payload));
 * await broker.publish("news", "hello");
 * await off();
 */
export interface Broker {
  /** This broker's origin id: 32 hex digits, random per instance. */
  readonly id: string;
  /**
   * Sends `payload` to every subscriber of `channel`, in every process. Resolves once the
   * server took it (LocalBroker: once delivered; RedisStreamBroker: with the entry id). See
   * each implementation's docs for what can be lost.
   */
  publish(channel: string, payload: BrokerPayload): Promise<unknown>;
  /** Resolves once the subscription is live, with the function that ends it. */
  subscribe(channel: string, listener: BrokerListener, options?: SubscribeOptions): Promise<Unsubscribe>;
  /** Ends every subscription and releases the connections; later calls reject with BrokerClosedError. */
  close(): Promise<void>;
}

/** Checks a channel name at the public boundary: a non-empty string. */
export function checkChannel(channel: unknown): asserts channel is string {
  if (typeof channel !== "string") {
    throw new ArgumentTypeError(`channel must be a non-empty string, got ${describeValue(channel)}`);
  }
  if (channel.length === 0) throw new ArgumentRangeError('channel must be a non-empty string, got ""');
}

/** Checks a payload: a string or bytes. */
export function checkPayload(payload: unknown): asserts payload is BrokerPayload {
  if (typeof payload !== "string" && !(payload instanceof Uint8Array)) {
    throw new ArgumentTypeError(`payload must be a string or bytes, got ${describeValue(payload)}`);
  }
}
