/**
 * The handle returned by IOLoop.callLater, callAt and addTimeout: one Node timer, re-armed when
 * it fires early or when the delay is longer than Node's timer limit.
 */

import { performance } from "node:perf_hooks";

/** Node clamps longer delays to 1 ms (with a warning); longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Monotonic seconds, the clock of IOLoop.time(). */
export function loopTime(): number {
  return performance.now() / 1000;
}

/**
 * A scheduled call, to pass to IOLoop.removeTimeout. Tornado: the opaque handle of
 * IOLoop.add_timeout / call_later / call_at.
 */
export class TimeoutHandle {
  /** When the callback is due, in IOLoop.time() seconds (monotonic, absolute). */
  readonly deadline: number;
  #timer: NodeJS.Timeout | null = null;
  #active = true;
  readonly #fire: () => void;

  /** Created by IOLoop; not meant to be constructed directly. */
  constructor(deadline: number, fire: () => void) {
    this.deadline = deadline;
    this.#fire = fire;
    this.#arm();
  }

  /** True until the callback has run or the timeout was removed. */
  get active(): boolean {
    return this.#active;
  }

  /** Stops the timer; the callback will not run. Idempotent. */
  cancel(): void {
    this.#active = false;
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
  }

  readonly #arm = (): void => {
    const remainingMs = (this.deadline - loopTime()) * 1000;
    if (remainingMs > MAX_TIMER_MS) {
      this.#timer = setTimeout(this.#arm, MAX_TIMER_MS);
    } else {
      this.#timer = setTimeout(this.#tick, remainingMs > 0 ? Math.ceil(remainingMs) : 0);
    }
  };

  readonly #tick = (): void => {
    this.#timer = null;
    if (!this.#active) return;
    // libuv measures delays from its cached loop time, so a timer can fire a fraction of a
    // millisecond before the deadline on our clock; callers rely on time() >= deadline.
    if (loopTime() < this.deadline) {
      this.#arm();
      return;
    }
    this.#active = false;
    this.#fire();
  };
}
