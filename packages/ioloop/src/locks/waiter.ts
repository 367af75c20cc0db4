/**
 * A pending promise that can be settled from outside and knows whether it has been (Tornado's
 * Future.done()), with an optional timeout; and the waiter list that sheds timed-out waiters.
 * Internal to locks and queues.
 */

import { Deque } from "./deque";
import type { TimeoutHandle } from "../loop/timeout-handle";
import { cancelTimeout, scheduleTimeout } from "../loop/timeout-option";

export class Waiter<T> {
  readonly promise: Promise<T>;
  #done = false;
  #resolve!: (value: T) => void;
  #reject!: (error: unknown) => void;
  #timer: TimeoutHandle | null = null;
  #forgetSignal: (() => void) | null = null;

  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  get done(): boolean {
    return this.#done;
  }

  /** Fulfils the promise unless already settled; returns whether it did. */
  resolve(value: T): boolean {
    if (this.#done) return false;
    this.#settle();
    this.#resolve(value);
    return true;
  }

  /** Rejects the promise unless already settled; returns whether it did. */
  reject(error: unknown): boolean {
    if (this.#done) return false;
    this.#settle();
    this.#reject(error);
    return true;
  }

  /**
   * When `signal` aborts before the waiter settles: `onAbort()` (which removes the waiter from
   * its list), then a rejection with the signal's reason. The listener is removed on settling,
   * so a long-lived signal does not collect one per wait.
   */
  setSignal(signal: AbortSignal | undefined, onAbort: () => void): void {
    if (signal === undefined) return;
    const listener = (): void => {
      if (this.#done) return;
      onAbort();
      this.reject(signal.reason);
    };
    signal.addEventListener("abort", listener, { once: true });
    this.#forgetSignal = () => signal.removeEventListener("abort", listener);
  }

  #settle(): void {
    this.#done = true;
    cancelTimeout(this.#timer);
    this.#timer = null;
    this.#forgetSignal?.();
    this.#forgetSignal = null;
  }

  /** Calls `onTimeout` at `deadline` (loop time) unless settled first. */
  setTimeout(deadline: number | null, onTimeout: () => void): void {
    if (deadline === null) return;
    this.#timer = scheduleTimeout(deadline, () => {
      this.#timer = null;
      if (!this.#done) onTimeout();
    });
  }
}

/** How many timeouts between sweeps of the waiter list, as Tornado's _TimeoutGarbageCollector. */
const COLLECT_EVERY = 100;

/**
 * A FIFO of waiters that drops the timed-out ones every hundred timeouts, so that a loop of
 * timed-out waits does not leak. Tornado: locks._TimeoutGarbageCollector.
 */
export class WaiterList<T> {
  readonly waiters = new Deque<Waiter<T>>();
  #timeouts = 0;

  /** Takes `waiter` out of the list now (its wait was aborted). */
  remove(waiter: Waiter<T>): void {
    this.waiters.retain((each) => each !== waiter);
  }

  /** Call after a waiter timed out. */
  collectGarbage(): void {
    this.#timeouts += 1;
    if (this.#timeouts > COLLECT_EVERY) {
      this.#timeouts = 0;
      this.waiters.retain((waiter) => !waiter.done);
    }
  }
}
