/**
 * Tornado: locks.Condition.
 */

import { ArgumentRangeError, describeValue } from "@tornado/util";
import { type Timeout, type WaitOptions, waitArguments } from "../loop/timeout-option";
import { Waiter, WaiterList } from "./waiter";

/**
 * Lets one or more tasks wait until notified. Waiters are woken in the order they called
 * wait(); a timed-out waiter does not count against notify's `n`. Tornado: locks.Condition.
 *
 * @example
 * const condition = new Condition();
 * setTimeout(() => condition.notify(), 10);
 * await condition.wait(); // true
 */
export class Condition {
  readonly #list = new WaiterList<boolean>();

  /**
   * Resolves true when notified, or false if `timeout` passes first (it never rejects).
   * Tornado: Condition.wait.
   * @param timeout seconds from now, or `{ deadline }` in IOLoop.time() seconds (default none), or
   *   `{ timeout, signal }`: aborting `signal` rejects with its reason and leaves no waiter behind
   */
  wait(timeout?: Timeout | WaitOptions | null): Promise<boolean> {
    const { deadline, signal } = waitArguments(timeout);
    if (signal?.aborted) return Promise.reject(signal.reason);
    const waiter = new Waiter<boolean>();
    waiter.setSignal(signal, () => this.#list.remove(waiter));
    this.#list.waiters.push(waiter);
    waiter.setTimeout(deadline, () => {
      waiter.resolve(false);
      this.#list.collectGarbage();
    });
    return waiter.promise;
  }

  /** Wakes up to `n` waiters (default 1). Tornado: Condition.notify. */
  notify(n = 1): void {
    if (!Number.isInteger(n) || n < 0) {
      throw new ArgumentRangeError(`n must be a non-negative integer, got ${describeValue(n)}`);
    }
    const woken: Waiter<boolean>[] = [];
    const waiters = this.#list.waiters;
    while (n > 0 && waiters.length > 0) {
      const waiter = waiters.shift()!;
      if (!waiter.done) {
        n -= 1;
        woken.push(waiter);
      }
    }
    for (const waiter of woken) waiter.resolve(true);
  }

  /** Wakes every waiter. Tornado: Condition.notify_all. */
  notifyAll(): void {
    this.notify(this.#list.waiters.length);
  }

  /** `<Condition>` or `<Condition waiters[N]>`, as Tornado's repr (timed-out waiters not yet swept included). */
  toString(): string {
    const count = this.#list.waiters.length;
    return count > 0 ? `<Condition waiters[${count}]>` : "<Condition>";
  }
}
