/**
 * Tornado's chat demo's MessageBuffer: the last 200 messages, and a Condition notified whenever
 * one arrives, on which long-poll requests wait for messages newer than their cursor. A wait
 * takes an AbortSignal, so a request whose client left is taken off the Condition at once.
 */

import { Condition } from "@tornado/tornado";
import type { ChatMessage } from "./message";

/** Messages kept, as Tornado's demo's cache_size. */
export const DEFAULT_CACHE_SIZE = 200;

export class MessageBuffer {
  /** Notified (all waiters) whenever the cache changes. Tornado: cond. */
  readonly condition = new Condition();
  readonly #size: number;
  #cache: ChatMessage[] = [];
  #waiting = 0;
  #closed = false;

  constructor(size = DEFAULT_CACHE_SIZE) {
    this.#size = size;
  }

  /** The cached messages, oldest first. Tornado: cache. */
  get messages(): readonly ChatMessage[] {
    return this.#cache;
  }

  /** Requests waiting on the Condition now. */
  get waiting(): number {
    return this.#waiting;
  }

  /**
   * The messages after the one whose id is `cursor`; all of them when `cursor` is null or no
   * longer cached (a client that fell behind gets what there is). Tornado: get_messages_since.
   */
  getMessagesSince(cursor: string | null): ChatMessage[] {
    const cache = this.#cache;
    let start = cache.length;
    while (start > 0 && cache[start - 1]!.id !== cursor) start -= 1;
    return cache.slice(start);
  }

  /** Appends a message, drops the oldest past the size, wakes every waiter. Tornado: add_message. */
  addMessage(message: ChatMessage): void {
    this.#cache.push(message);
    if (this.#cache.length > this.#size) this.#cache = this.#cache.slice(-this.#size);
    this.condition.notifyAll();
  }

  /**
   * Resolves with the messages after `cursor` once there are some (the loop of Tornado's
   * MessageUpdatesHandler.post); with null when `signal` aborts first (the client left);
   * with none once the buffer is closed (the process is shutting down).
   */
  async waitForMessagesSince(cursor: string | null, signal: AbortSignal): Promise<ChatMessage[] | null> {
    let messages = this.getMessagesSince(cursor);
    while (messages.length === 0 && !this.#closed) {
      this.#waiting += 1;
      try {
        await this.condition.wait({ signal });
      } catch (error) {
        if (signal.aborted) return null;
        throw error;
      } finally {
        this.#waiting -= 1;
      }
      messages = this.getMessagesSince(cursor);
    }
    return messages;
  }

  /** Answers every waiting request with no messages, and every later one at once (shutdown). */
  close(): void {
    this.#closed = true;
    this.condition.notifyAll();
  }
}
