/**
 * Future: a Promise settled from outside, that knows whether it is done (Tornado's
 * concurrent.Future, which is asyncio.Future), and chainFuture, which settles one from another.
 *
 * Tornado: tornado.concurrent.Future, chain_future.
 */

import { ArgumentTypeError, describeValue, isThenable } from "@tornado/util";
import { CancelledError, InvalidStateError } from "../errors";

const PENDING = 0;
const FULFILLED = 1;
const REJECTED = 2;
const CANCELLED = 3;

/**
 * A result that is set later: `await future` (it is a PromiseLike), `setResult(value)`,
 * `setException(error)`, `done()`, `result()`. A rejection nobody awaits is not reported as
 * unhandled, as Tornado's futures only log. Tornado: tornado.concurrent.Future.
 *
 * @example
 * const future = new Future<number>();
 * setTimeout(() => future.setResult(42), 10);
 * console.log(await future); // 42
 */
export class Future<T> implements PromiseLike<T> {
  readonly promise: Promise<T>;
  #state = PENDING;
  #value: T | undefined;
  #error: unknown;
  #resolve!: (value: T) => void;
  #reject!: (error: unknown) => void;

  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.promise.catch(() => {});
  }

  /** True once a result, an exception or a cancellation was set. Tornado: Future.done. */
  done(): boolean {
    return this.#state !== PENDING;
  }

  /** True after cancel(). Tornado: Future.cancelled. */
  cancelled(): boolean {
    return this.#state === CANCELLED;
  }

  /** Fulfils the future; InvalidStateError if it is already done. Tornado: Future.set_result. */
  setResult(value: T): void {
    this.#checkPending("setResult");
    this.#state = FULFILLED;
    this.#value = value;
    this.#resolve(value);
  }

  /** Rejects the future with `error`. Tornado: Future.set_exception. */
  setException(error: unknown): void {
    this.#checkPending("setException");
    this.#state = REJECTED;
    this.#error = error;
    this.#reject(error);
  }

  /** Cancels a pending future (it rejects with a CancelledError); false if it was done. Tornado: Future.cancel. */
  cancel(): boolean {
    if (this.#state !== PENDING) return false;
    this.#state = CANCELLED;
    this.#error = new CancelledError("Future was cancelled");
    this.#reject(this.#error);
    return true;
  }

  /** The value, or throws the exception; throws InvalidStateError while pending. Tornado: Future.result. */
  result(): T {
    if (this.#state === PENDING) throw new InvalidStateError("Result is not ready.");
    if (this.#state !== FULFILLED) throw this.#error;
    return this.#value as T;
  }

  /** The exception, or null; throws InvalidStateError while pending. Tornado: Future.exception. */
  exception(): unknown {
    if (this.#state === PENDING) throw new InvalidStateError("Exception is not set.");
    return this.#state === FULFILLED ? null : this.#error;
  }

  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.promise.then(onFulfilled, onRejected);
  }

  #checkPending(method: string): void {
    if (this.#state !== PENDING) throw new InvalidStateError(`${method}() on a Future that is already done`);
  }
}

/**
 * Settles `target` as `source` settles, unless `target` is already done (cancelled, say).
 * `source` may be any Promise. Tornado: tornado.concurrent.chain_future.
 */
export function chainFuture<T>(source: PromiseLike<T>, target: Future<T>): void {
  if (!isThenable(source)) throw new ArgumentTypeError(`source must be a Promise, got ${describeValue(source)}`);
  if (!(target instanceof Future)) throw new ArgumentTypeError(`target must be a Future, got ${describeValue(target)}`);
  source.then(
    (value) => {
      if (!target.done()) target.setResult(value);
    },
    (error: unknown) => {
      if (!target.done()) target.setException(error);
    },
  );
}
