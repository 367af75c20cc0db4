/**
 * The `timeout` argument of locks, queues and withTimeout. Internal helpers; the type is
 * exported from the package.
 */

import { ArgumentRangeError, ArgumentTypeError, describeValue } from "@tornado/util";
import { IOLoop } from "./ioloop";
import type { TimeoutHandle } from "./timeout-handle";

/**
 * A timeout: seconds from now (Tornado's `timedelta`), or `{ deadline }`, an absolute
 * IOLoop.time() in seconds (Tornado's plain number). `null`/`undefined`: wait forever.
 * Unlike Tornado, a plain number is relative: that is what callers mean almost every time.
 */
export type Timeout = number | { readonly deadline: number };

/** The absolute loop time of `timeout`, or null for no timeout. Throws on a bad value. */
export function timeoutDeadline(timeout: Timeout | null | undefined, name = "timeout"): number | null {
  if (timeout === undefined || timeout === null) return null;
  if (typeof timeout === "number") {
    if (!(timeout >= 0) || timeout === Infinity) {
      throw new ArgumentRangeError(`${name} must be a finite, non-negative number of seconds, got ${describeValue(timeout)}`);
    }
    return IOLoop.current().time() + timeout;
  }
  if (typeof timeout === "object" && typeof (timeout as { deadline?: unknown }).deadline === "number") {
    const deadline = timeout.deadline;
    if (!Number.isFinite(deadline)) {
      throw new ArgumentRangeError(`${name}.deadline must be a finite loop time in seconds, got ${describeValue(deadline)}`);
    }
    return deadline;
  }
  throw new ArgumentTypeError(
    `${name} must be a number of seconds or { deadline } (loop time), got ${describeValue(timeout)}`,
  );
}

/** Schedules `onTimeout` at the deadline on the current loop; null when there is no deadline. */
export function scheduleTimeout(deadline: number | null, onTimeout: () => void): TimeoutHandle | null {
  if (deadline === null) return null;
  return IOLoop.current().callAt(deadline, onTimeout);
}

/** Cancels what scheduleTimeout returned. */
export function cancelTimeout(handle: TimeoutHandle | null): void {
  if (handle !== null) handle.cancel();
}

/** A wait's options: a timeout, and a signal that cancels the wait. */
export interface WaitOptions {
  /** As the plain `timeout` argument: seconds from now, or `{ deadline }`. */
  readonly timeout?: Timeout | null;
  /** Aborting it rejects the wait with `signal.reason` and removes the waiter. */
  readonly signal?: AbortSignal;
}

/**
 * The deadline and signal of a wait's argument: a Timeout as before, or WaitOptions. Throws
 * on a bad value; an already aborted signal is returned as is (the caller rejects at once).
 */
export function waitArguments(argument: Timeout | WaitOptions | null | undefined): { deadline: number | null; signal: AbortSignal | undefined } {
  if (argument !== null && typeof argument === "object" && !("deadline" in argument)) {
    const { timeout, signal } = argument;
    if (signal !== undefined && (signal === null || typeof signal !== "object" || typeof signal.addEventListener !== "function" || typeof signal.aborted !== "boolean")) {
      throw new ArgumentTypeError(`signal must be an AbortSignal, got ${describeValue(signal)}`);
    }
    return { deadline: timeoutDeadline(timeout), signal };
  }
  return { deadline: timeoutDeadline(argument as Timeout | null | undefined), signal: undefined };
}
