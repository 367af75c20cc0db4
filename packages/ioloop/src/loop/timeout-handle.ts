/**
 * The handle returned by IOLoop.callLater, callAt and addTimeout: one Node timer, re-armed when
 * it fires early or when the delay is longer than Node's timer limit. When it fires, the loop
 * runs the due timeout with the earliest deadline (`due`), which may be another one: Node
 * orders its timers by when they were set, so on a loaded machine a later deadline can fire first.
 */

import { performance } from "node:perf_hooks";

/** Node clamps longer delays to 1 ms (with a warning); longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

let nextOrder = 0;

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
  /** @internal Creation order, IOLoop's tie-break between equal deadlines. */
  readonly _order = nextOrder++;
  #timer: NodeJS.Timeout | null = null;
  #active = true;
  readonly #fire: () => void;
  readonly #due: (fired: TimeoutHandle) => void;

  /** Created by IOLoop; not meant to be constructed directly. */
  constructor(deadline: number, fire: () => void, due: (fired: TimeoutHandle) => void) {
    this.deadline = deadline;
    this.#fire = fire;
    this.#due = due;
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
    this.#due(this);
  };

  /** Fires again on the next timer turn (its turn went to an earlier deadline). @internal For IOLoop. */
  _rearm(): void {
    if (!this.#active) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = setTimeout(this.#tick, 0);
  }

  /** Runs the callback now (once), stopping the timer. @internal For IOLoop. */
  _run(): void {
    if (!this.#active) return;
    this.cancel();
    this.#fire();
  }
}
