/**
 * Tornado: locks.Semaphore.
 */

import { ArgumentRangeError, ArgumentTypeError, describeValue } from "@tornado/util";
import { TimeoutError } from "../errors";
import { type Timeout, type WaitOptions, waitArguments } from "../loop/timeout-option";
import { Waiter, WaiterList } from "./waiter";

/**
 * What acquire() resolves to: releases what was acquired, once (later calls do nothing).
 * Works with `using` / `await using`, Python's `with (yield sem.acquire())`.
 */
export interface Releaser extends Disposable, AsyncDisposable {
  release(): void;
}

// Node 20 defines Symbol.dispose/asyncDispose in its main context only; in a vm context (Jest's
// node environment) they are missing, so fall back to registered symbols that such code can
// polyfill with (`Symbol.dispose ??= Symbol.for("Symbol.dispose")`). The methods are therefore
// installed by key below, and their types come from the merged interface.
const DISPOSE: symbol = Symbol.dispose ?? Symbol.for("Symbol.dispose");
const ASYNC_DISPOSE: symbol = Symbol.asyncDispose ?? Symbol.for("Symbol.asyncDispose");

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- Object.defineProperties below adds the dispose symbols
interface OneShotReleaser extends Releaser {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
class OneShotReleaser {
  #release: (() => void) | null;

  constructor(release: () => void) {
    this.#release = release;
  }

  release(): void {
    const release = this.#release;
    this.#release = null;
    release?.();
  }
}

Object.defineProperties(OneShotReleaser.prototype, {
  [DISPOSE]: {
    value: function dispose(this: OneShotReleaser): void {
      this.release();
    },
    writable: true,
    configurable: true,
  },
  [ASYNC_DISPOSE]: {
    value: function asyncDispose(this: OneShotReleaser): Promise<void> {
      this.release();
      return Promise.resolve();
    },
    writable: true,
    configurable: true,
  },
});

/**
 * A counter that acquire() decrements, waiting while it is zero, and release() increments.
 * Waiters are served in order. Tornado: locks.Semaphore.
 *
 * @example
 * const semaphore = new Semaphore(2);
 * await semaphore.withAcquire(async () => fetchOne()); // at most two at a time
 * { using _ = await semaphore.acquire(); await fetchOne(); }
 */
export class Semaphore {
  #value: number;
  readonly #list = new WaiterList<Releaser>();

  /** @param value initial counter, an integer >= 0, default 1 */
  constructor(value = 1) {
    if (typeof value !== "number") {
      throw new ArgumentTypeError(`semaphore initial value must be an integer >= 0, got ${describeValue(value)}`);
    }
    if (!Number.isInteger(value) || value < 0) {
      throw new ArgumentRangeError(`semaphore initial value must be an integer >= 0, got ${describeValue(value)}`);
    }
    this.#value = value;
  }

  /** The counter: how many acquire() calls would succeed at once now. */
  get value(): number {
    return this.#value;
  }

  /**
   * Decrements the counter, waiting while it is zero. Resolves to a Releaser; rejects with
   * TimeoutError if `timeout` passes first (the counter is then unchanged).
   * Tornado: Semaphore.acquire.
   * @param timeout seconds from now, or `{ deadline }` in IOLoop.time() seconds (default none), or
   *   `{ timeout, signal }`: aborting `signal` rejects with its reason and leaves no waiter behind
   */
  acquire(timeout?: Timeout | WaitOptions | null): Promise<Releaser> {
    const { deadline, signal } = waitArguments(timeout);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#value > 0) {
      this.#value -= 1;
      return Promise.resolve(this.#releaser());
    }
    const waiter = new Waiter<Releaser>();
    this.#list.waiters.push(waiter);
    waiter.setSignal(signal, () => this.#list.remove(waiter));
    waiter.setTimeout(deadline, () => {
      waiter.reject(new TimeoutError("Timeout"));
      this.#list.collectGarbage();
    });
    return waiter.promise;
  }

  /** Increments the counter, handing it straight to the first waiter if any. Tornado: Semaphore.release. */
  release(): void {
    this.#value += 1;
    const waiters = this.#list.waiters;
    while (waiters.length > 0) {
      const waiter = waiters.shift()!;
      if (!waiter.done) {
        this.#value -= 1;
        waiter.resolve(this.#releaser());
        break;
      }
    }
  }

  /**
   * Acquires, runs `fn`, and releases even if `fn` throws: Python's `async with semaphore:`.
   * @param timeout for the acquire, as in acquire()
   */
  async withAcquire<R>(fn: () => R | PromiseLike<R>, timeout?: Timeout | WaitOptions | null): Promise<Awaited<R>> {
    if (typeof fn !== "function") {
      throw new ArgumentTypeError(`fn must be a function, got ${describeValue(fn)}`);
    }
    const releaser = await this.acquire(timeout);
    try {
      return await fn();
    } finally {
      releaser.release();
    }
  }

  /** As Tornado's repr: `<Semaphore [unlocked,value:1]>`, `<Semaphore [locked,waiters:2]>`. */
  toString(): string {
    let extra = this.#value === 0 ? "locked" : `unlocked,value:${this.#value}`;
    const waiting = this.#list.waiters.length;
    if (waiting > 0) extra += `,waiters:${waiting}`;
    return `<${this.constructor.name} [${extra}]>`;
  }

  #releaser(): Releaser {
    return new OneShotReleaser(() => this.release());
  }
}
