/**
 * The listeners of one broker, by channel: what both brokers share. A message is handed to
 * each listener of its channel in turn; a listener's throw is logged and does not stop the
 * others, nor the delivery of later messages.
 */

import { appLog } from "@tornado/ioloop";
import type { BrokerListener, BrokerMessage } from "./broker";

/** One subscribe() call. */
export interface Subscription {
  readonly listener: BrokerListener;
  readonly skipOwn: boolean;
}

export class Subscriptions {
  readonly #channels = new Map<string, Set<Subscription>>();

  /** Adds a listener; true when it is the channel's first (the server must be told). */
  add(channel: string, subscription: Subscription): boolean {
    let set = this.#channels.get(channel);
    const first = set === undefined;
    if (set === undefined) {
      set = new Set();
      this.#channels.set(channel, set);
    }
    set.add(subscription);
    return first;
  }

  /** Removes a listener; true when it was the channel's last (the server must be told). */
  remove(channel: string, subscription: Subscription): boolean {
    const set = this.#channels.get(channel);
    if (set === undefined || !set.delete(subscription)) return false;
    if (set.size > 0) return false;
    this.#channels.delete(channel);
    return true;
  }

  /** True while `channel` has a listener. */
  has(channel: string): boolean {
    return this.#channels.has(channel);
  }

  /** The channels that have listeners. */
  channels(): IterableIterator<string> {
    return this.#channels.keys();
  }

  clear(): void {
    this.#channels.clear();
  }

  /** Hands a message to the listeners of its channel; a Buffer payload is copied for each after the first. */
  dispatch(payload: string | Buffer, message: BrokerMessage): void {
    const set = this.#channels.get(message.channel);
    if (set === undefined) return;
    let handed = false;
    for (const subscription of set) {
      if (message.own && subscription.skipOwn) continue;
      const own = typeof payload === "string" || !handed ? payload : Buffer.from(payload);
      handed = true;
      try {
        subscription.listener(own, message);
      } catch (error) {
        appLog.error(`Exception in a broker listener on channel ${JSON.stringify(message.channel)}`, error);
      }
    }
  }
}
