/**
 * Tornado: locks.Event.
 */

import { TimeoutError } from "../errors";
import { type Timeout, type WaitOptions, waitArguments } from "../loop/timeout-option";
import { Waiter } from "./waiter";

/**
 * A flag that tasks can wait on: false at first; set() wakes every waiter, and wait() resolves
 * at once while it is set. Tornado: locks.Event.
 *
 * @example
 * const event = new Event();
 * setTimeout(() => event.set(), 10);
 * await event.wait();
 */
export class Event {
  #value = false;
  readonly #waiters = new Set<Waiter<void>>();

  /** Whether the flag is set. Tornado: Event.is_set. */
  isSet(): boolean {
    return this.#value;
  }

  /** Sets the flag and wakes every waiter. Tornado: Event.set. */
  set(): void {
    if (this.#value) return;
    this.#value = true;
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const waiter of waiters) waiter.resolve();
  }

  /** Resets the flag; later wait() calls block until set() again. Tornado: Event.clear. */
  clear(): void {
    this.#value = false;
  }

  /**
   * Resolves when the flag is set; rejects with TimeoutError if `timeout` passes first.
   * Tornado: Event.wait.
   * @param timeout seconds from now, or `{ deadline }` in IOLoop.time() seconds (default none), or
   *   `{ timeout, signal }`: aborting `signal` rejects with its reason and leaves no waiter behind
   */
  wait(timeout?: Timeout | WaitOptions | null): Promise<void> {
    const { deadline, signal } = waitArguments(timeout);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#value) return Promise.resolve();
    const waiter = new Waiter<void>();
    this.#waiters.add(waiter);
    waiter.setSignal(signal, () => this.#waiters.delete(waiter));
    waiter.setTimeout(deadline, () => {
      this.#waiters.delete(waiter);
      waiter.reject(new TimeoutError("Timeout"));
    });
    return waiter.promise;
  }

  toString(): string {
    return `<Event ${this.#value ? "set" : "clear"}>`;
  }
}
