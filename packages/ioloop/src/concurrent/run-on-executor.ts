/**
 * Tornado: concurrent.run_on_executor.
 */

import { ArgumentTypeError, describeValue } from "@tornado/util";
import type { ThreadPoolExecutor } from "./thread-pool-executor";

export interface RunOnExecutorOptions {
  /** The property of `this` holding the executor. Default "executor". */
  executor?: string;
}

type Method<A extends unknown[], R> = (this: unknown, ...args: A) => R;

function decorate<A extends unknown[], R>(method: Method<A, R>, property: string): Method<A, Promise<Awaited<R>>> {
  if (typeof method !== "function") {
    throw new ArgumentTypeError(`@runOnExecutor decorates a method, got ${describeValue(method)}`);
  }
  return function (this: unknown, ...args: A): Promise<Awaited<R>> {
    const executor = (this as Record<string, unknown> | null)?.[property] as ThreadPoolExecutor | undefined;
    if (executor === undefined || typeof executor.submit !== "function") {
      return Promise.reject(new ArgumentTypeError(`@runOnExecutor needs an executor in this.${property}, got ${describeValue(executor)}`));
    }
    return executor.submit(method as (...args: A) => R, ...args);
  };
}

/**
 * Method decorator: calling the method runs its body on `this.executor` (a
 * ThreadPoolExecutor) and returns a Promise of its result. The body is sent to a worker
 * thread as source, so it cannot use `this` or the variables around it (only its arguments
 * and `require()`). Use as `@runOnExecutor`, `@runOnExecutor()` or
 * `@runOnExecutor({ executor: "pool" })`. Tornado: concurrent.run_on_executor.
 *
 * @example
 * class Hasher {
 *   executor = new ThreadPoolExecutor({ maxWorkers: 2 });
 *   @runOnExecutor
 *   hash(text: string) { return require("node:crypto").scryptSync(text, "salt", 64).toString("hex"); }
 * }
 */
export function runOnExecutor<A extends unknown[], R>(method: Method<A, R>, context: ClassMethodDecoratorContext): Method<A, Promise<Awaited<R>>>;
export function runOnExecutor(
  options?: RunOnExecutorOptions,
): <A extends unknown[], R>(method: Method<A, R>, context: ClassMethodDecoratorContext) => Method<A, Promise<Awaited<R>>>;
export function runOnExecutor(first?: unknown, context?: unknown): unknown {
  if (typeof first === "function" && context !== undefined) return decorate(first as Method<unknown[], unknown>, "executor");
  const options = (first ?? {}) as RunOnExecutorOptions;
  if (typeof options !== "object") throw new ArgumentTypeError(`runOnExecutor options must be an object, got ${describeValue(first)}`);
  const property = options.executor ?? "executor";
  return (method: Method<unknown[], unknown>) => decorate(method, property);
}
