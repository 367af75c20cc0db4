/**
 * Tornado: gen.with_timeout.
 */

import { TimeoutError } from "../errors";
import { appLog } from "../log/logger";
import { type Timeout, cancelTimeout, scheduleTimeout, timeoutDeadline } from "../loop/timeout-option";

/** Error classes whose late rejections are not logged (Tornado's quiet_exceptions). */
export type ErrorClass = abstract new (...args: never[]) => unknown;

export interface QuietOptions {
  /** Errors of this class, or these classes, are not logged when they arrive too late to be reported. */
  quietExceptions?: ErrorClass | readonly ErrorClass[];
}

/** True when `error` is an instance of `classes` or of one of them. */
export function isQuiet(error: unknown, classes: ErrorClass | readonly ErrorClass[] | undefined): boolean {
  if (classes === undefined) return false;
  if (typeof classes === "function") return error instanceof classes;
  return classes.some((errorClass) => error instanceof errorClass);
}

/**
 * Resolves as `promise` does, or rejects with TimeoutError("Timeout") if it has not settled by
 * `timeout`. The wrapped work is not cancelled; if it later rejects, the error is logged to
 * appLog ("Exception in Future ... after timeout") unless it is one of `quietExceptions`.
 * Tornado: gen.with_timeout.
 * @param timeout seconds from now, or `{ deadline }` in IOLoop.time() seconds
 */
export function withTimeout<T>(
  timeout: Timeout,
  promise: PromiseLike<T> | T,
  options: QuietOptions = {},
): Promise<Awaited<T>> {
  const deadline = timeoutDeadline(timeout);
  const wrapped = Promise.resolve(promise) as Promise<Awaited<T>>;
  if (deadline === null) return wrapped;
  return new Promise<Awaited<T>>((resolve, reject) => {
    let timedOut = false;
    const handle = scheduleTimeout(deadline, () => {
      timedOut = true;
      reject(new TimeoutError("Timeout"));
    });
    wrapped.then(
      (value) => {
        cancelTimeout(handle);
        resolve(value);
      },
      (error: unknown) => {
        cancelTimeout(handle);
        if (!timedOut) {
          reject(error);
        } else if (!isQuiet(error, options.quietExceptions)) {
          appLog.error("Exception in Future after timeout", error);
        }
      },
    );
  });
}
