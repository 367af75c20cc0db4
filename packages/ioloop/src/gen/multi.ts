/**
 * Tornado: gen.multi and gen.multi_future.
 */

import { ArgumentTypeError, describeValue, isThenable } from "@tornado/util";
import { appLog } from "../log/logger";
import { type QuietOptions, isQuiet } from "./with-timeout";

/** The result of multi() on an array: each element awaited, positions kept. */
export type MultiArrayResult<T extends readonly unknown[]> = { -readonly [K in keyof T]: Awaited<T[K]> };
/** The result of multi() on an object: each value awaited, keys kept. */
export type MultiObjectResult<T extends Record<string, unknown>> = { -readonly [K in keyof T]: Awaited<T[K]> };

/**
 * Waits for every child (promises or plain values) of an array or a plain object, and resolves
 * with their results in the same shape. Unlike Promise.all it waits for all children to
 * settle; if any rejected it rejects with the first error in order, and logs every later error
 * to appLog ("Multiple exceptions in yield list") unless it is one of `quietExceptions`.
 * Tornado: gen.multi / gen.multi_future.
 */
export function multi<const T extends readonly unknown[]>(children: T, options?: QuietOptions): Promise<MultiArrayResult<T>>;
export function multi<T extends Record<string, unknown>>(children: T, options?: QuietOptions): Promise<MultiObjectResult<T>>;
export function multi(
  children: readonly unknown[] | Record<string, unknown>,
  options: QuietOptions = {},
): Promise<unknown> {
  if (children === null || typeof children !== "object" || isThenable(children)) {
    throw new ArgumentTypeError(`children must be an array or an object of promises, got ${describeValue(children)}`);
  }
  const keys = Array.isArray(children) ? null : Object.keys(children);
  const values: unknown[] = keys === null ? Array.from(children as readonly unknown[]) : keys.map((key) => (children as Record<string, unknown>)[key]);

  return Promise.allSettled(values).then((outcomes) => {
    let failed = false;
    let firstError: unknown;
    const results: unknown[] = [];
    for (const outcome of outcomes) {
      if (outcome.status === "fulfilled") {
        results.push(outcome.value);
      } else if (!failed) {
        failed = true;
        firstError = outcome.reason;
      } else if (!isQuiet(outcome.reason, options.quietExceptions)) {
        appLog.error("Multiple exceptions in yield list", outcome.reason);
      }
    }
    if (failed) throw firstError;
    if (keys === null) return results;
    const object: Record<string, unknown> = {};
    keys.forEach((key, index) => {
      object[key] = results[index];
    });
    return object;
  });
}
