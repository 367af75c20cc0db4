/**
 * LocalBroker: publish/subscribe inside one process, the default where there is one process.
 * Same contract as RedisBroker, so code written against a Broker moves to many processes by
 * swapping the broker.
 */

import { checkCallback } from "@tornado/util";
import { checkChannel, checkPayload, type Broker, type BrokerListener, type BrokerPayload, type SubscribeOptions, type Unsubscribe } from "./broker";
import { BrokerClosedError } from "./errors";
import { randomOrigin } from "./origin";
import { Subscriptions, type Subscription } from "./subscriptions";

/**
 * An in-process broker. Every message is delivered, in publish order, to every listener of its
 * channel, after publish() returns (never inside it). All of its messages are its own
 * (`message.own`), so a listener subscribed with `skipOwn` gets none.
 *
 * @example
 * const broker = new LocalBroker();
 * await broker.subscribe("news", (payload) => console.log(payload));
 * await broker.publish("news", "hello"); // the listener printed "hello"
 */
export class LocalBroker implements Broker {
  readonly id: string;
  readonly #subscriptions = new Subscriptions();
  readonly #sequences = new Map<string, number>();
  #closed = false;

  constructor() {
    this.id = randomOrigin().toString("hex");
  }

  /** Delivers `payload` to this broker's listeners of `channel`; resolves once they ran. */
  async publish(channel: string, payload: BrokerPayload): Promise<void> {
    checkChannel(channel);
    checkPayload(payload);
    if (this.#closed) throw new BrokerClosedError();
    // Copied now: the caller may reuse its buffer as soon as publish() returns.
    const data = typeof payload === "string" ? payload : Buffer.from(payload);
    const sequence = (this.#sequences.get(channel) ?? 0) + 1;
    this.#sequences.set(channel, sequence);
    // Delivered after the caller's synchronous code, as a network broker would.
    await Promise.resolve();
    if (this.#closed) return;
    this.#subscriptions.dispatch(data, { channel, origin: this.id, own: true, sequence });
  }

  /** Adds a listener; resolves at once with the function that removes it. */
  async subscribe(channel: string, listener: BrokerListener, options: SubscribeOptions = {}): Promise<Unsubscribe> {
    checkChannel(channel);
    checkCallback(listener, "listener");
    if (this.#closed) throw new BrokerClosedError();
    const subscription: Subscription = { listener, skipOwn: options.skipOwn === true };
    this.#subscriptions.add(channel, subscription);
    return async () => {
      this.#subscriptions.remove(channel, subscription);
    };
  }

  /** Drops every listener; messages not yet delivered are not. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#subscriptions.clear();
  }
}
