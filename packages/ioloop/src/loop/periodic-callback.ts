/**
 * Tornado: ioloop.PeriodicCallback.
 */

import { ArgumentRangeError, checkCallback, checkFinite, describeValue } from "@tornado/util";
import { callbackName } from "./callback-name";
import { IOLoop } from "./ioloop";
import { appLog } from "../log/logger";
import type { TimeoutHandle } from "./timeout-handle";

/**
 * The next run time of a periodic callback, on the grid `start + k * period`: a run that
 * overran skips the missed slots instead of bunching up; if the clock went backwards the
 * schedule moves forward by one period. With `jitter`, the period is scaled by
 * `1 + jitter * (random() - 0.5)`. Tornado: PeriodicCallback._update_next.
 * @param nextTimeout the previous due time, seconds
 * @param currentTime now, seconds
 * @param periodSeconds the callback time in seconds
 */
export function nextPeriodicTimeout(
  nextTimeout: number,
  currentTime: number,
  periodSeconds: number,
  jitter = 0,
  random: () => number = Math.random,
): number {
  let period = periodSeconds;
  if (jitter) period *= 1 + jitter * (random() - 0.5);
  if (nextTimeout <= currentTime) {
    return nextTimeout + (Math.floor((currentTime - nextTimeout) / period) + 1) * period;
  }
  return nextTimeout + period;
}

/**
 * Calls `callback` every `callbackTime` milliseconds on the current IOLoop. Runs stay on the
 * schedule's grid: a run that takes longer than the period makes the next ones skip, not
 * pile up. An async callback is awaited before the next run is scheduled, so it never
 * overlaps itself. Errors are logged to appLog and the schedule continues.
 * Tornado: ioloop.PeriodicCallback.
 *
 * @example
 * const heartbeat = new PeriodicCallback(() => genLog.info("alive"), 1000);
 * heartbeat.start();
 */
export class PeriodicCallback {
  readonly callback: () => unknown;
  /** Milliseconds between runs. */
  readonly callbackTime: number;
  /** Fraction of callbackTime by which each period varies, centred on it. */
  readonly jitter: number;
  #running = false;
  #inFlight = false;
  #nextTimeout = 0;
  #timeout: TimeoutHandle | null = null;
  #loop: IOLoop | null = null;

  /**
   * @param callback sync or async; called with no arguments
   * @param callbackTime milliseconds, > 0
   * @param jitter fraction of callbackTime, >= 0, default 0 (Tornado suggests 0.1 to spread load)
   */
  constructor(callback: () => unknown, callbackTime: number, jitter = 0) {
    checkCallback(callback);
    checkFinite(callbackTime, "callbackTime", "milliseconds");
    if (callbackTime <= 0) {
      throw new ArgumentRangeError(`callbackTime must be a positive number of milliseconds, got ${describeValue(callbackTime)}`);
    }
    checkFinite(jitter, "jitter", "(a fraction of callbackTime)");
    if (jitter < 0) throw new ArgumentRangeError(`jitter must be >= 0, got ${describeValue(jitter)}`);
    this.callback = callback;
    this.callbackTime = callbackTime;
    this.jitter = jitter;
  }

  /** Starts the timer; the first run is one period from now. No-op if running. Tornado: start. */
  start(): void {
    if (this.#running) return;
    this.#loop = IOLoop.current();
    this.#running = true;
    this.#nextTimeout = this.#loop.time();
    // A run still in progress from before a stop() schedules the next one when it ends.
    if (!this.#inFlight) this.#scheduleNext();
  }

  /** Stops the timer; a run in progress finishes but no further run is scheduled. Tornado: stop. */
  stop(): void {
    this.#running = false;
    if (this.#timeout !== null) {
      this.#timeout.cancel();
      this.#timeout = null;
    }
  }

  /** Tornado: is_running. */
  isRunning(): boolean {
    return this.#running;
  }

  readonly #run = async (): Promise<void> => {
    this.#timeout = null;
    if (!this.#running) return;
    this.#inFlight = true;
    try {
      await this.callback();
    } catch (error) {
      appLog.error(`Exception in callback ${callbackName(this.callback)}`, error);
    } finally {
      this.#inFlight = false;
      this.#scheduleNext();
    }
  };

  #scheduleNext(): void {
    const loop = this.#loop;
    if (!this.#running || loop === null) return;
    if (loop.closed) {
      this.#running = false;
      return;
    }
    this.#nextTimeout = nextPeriodicTimeout(this.#nextTimeout, loop.time(), this.callbackTime / 1000, this.jitter);
    this.#timeout = loop.callAt(this.#nextTimeout, this.#run);
  }
}
