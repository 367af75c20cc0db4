/**
 * Tornado: gen.WaitIterator.
 */

import { ArgumentTypeError, describeValue, isThenable } from "@tornado/util";

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

interface Settled<K> {
  readonly future: PromiseLike<unknown>;
  readonly index: K;
  readonly outcome: Outcome;
}

/**
 * Yields the results of several promises in the order they finish, telling which one each
 * result came from (`currentIndex`: its position, or its key for an object; `currentFuture`:
 * the promise itself). A rejected promise makes next() reject, so one failure does not hide
 * the others. Tornado: gen.WaitIterator.
 *
 * @example
 * const wait = new WaitIterator(fetchA(), fetchB());
 * while (!wait.done()) {
 *   try { console.log(wait.currentIndex, await wait.next()); }
 *   catch (error) { console.log("failed:", wait.currentIndex, error); }
 * }
 * for await (const result of new WaitIterator({ a: fetchA(), b: fetchB() })) console.log(result);
 */
export class WaitIterator<T = unknown, K extends number | string = number> implements AsyncIterable<T> {
  /** Position (or key) of the promise whose result next() gave last; null before and after. Tornado: current_index. */
  currentIndex: K | null = null;
  /** The promise whose result next() gave last; null before and after. Tornado: current_future. */
  currentFuture: PromiseLike<T> | null = null;
  #unfinished: number;
  readonly #finished: Settled<K>[] = [];
  #running: { resolve: (value: T) => void; reject: (error: unknown) => void } | null = null;

  /**
   * @param futures promises as arguments or an array (indexes 0..n-1), or one plain object of
   *   promises (keys as indexes: Tornado's keyword form)
   */
  constructor(...futures: PromiseLike<T>[]);
  constructor(futures: readonly PromiseLike<T>[] | Record<K & string, PromiseLike<T>>);
  constructor(...args: unknown[]) {
    let entries: Array<[K, unknown]>;
    const [first] = args;
    if (args.length === 1 && Array.isArray(first)) {
      entries = first.map((future, index) => [index as K, future]);
    } else if (args.length === 1 && first !== null && typeof first === "object" && !isThenable(first)) {
      entries = Object.entries(first) as Array<[K, unknown]>;
    } else {
      entries = args.map((future, index) => [index as K, future]);
    }
    for (const [index, future] of entries) {
      if (!isThenable(future)) {
        throw new ArgumentTypeError(`WaitIterator takes promises, got ${describeValue(future)} at ${String(index)}`);
      }
    }
    this.#unfinished = entries.length;
    for (const [index, future] of entries) {
      const promise = future as PromiseLike<unknown>;
      promise.then(
        (value) => this.#onDone({ future: promise, index, outcome: { ok: true, value } }),
        (error: unknown) => this.#onDone({ future: promise, index, outcome: { ok: false, error } }),
      );
    }
  }

  /**
   * True once every result has been handed out by next() (currentIndex and currentFuture are
   * then reset to null). Tornado: WaitIterator.done.
   */
  done(): boolean {
    if (this.#finished.length > 0 || this.#unfinished > 0) return false;
    this.currentIndex = null;
    this.currentFuture = null;
    return true;
  }

  /**
   * The next result to arrive: resolves with it, or rejects with the error of a promise that
   * rejected; currentIndex and currentFuture then name that promise. Tornado: WaitIterator.next.
   */
  next(): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#running = { resolve, reject };
      const settled = this.#finished.shift();
      if (settled !== undefined) this.#hand(settled);
    });
  }

  /** `for await (const result of iterator)`: next() until done(). Tornado: __aiter__. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: async (): Promise<IteratorResult<T>> => {
        if (this.done()) return { value: undefined, done: true };
        return { value: await this.next(), done: false };
      },
    };
  }

  #onDone(settled: Settled<K>): void {
    this.#unfinished -= 1;
    if (this.#running !== null) this.#hand(settled);
    else this.#finished.push(settled);
  }

  #hand(settled: Settled<K>): void {
    const running = this.#running as { resolve: (value: T) => void; reject: (error: unknown) => void };
    this.#running = null;
    this.currentFuture = settled.future as PromiseLike<T>;
    this.currentIndex = settled.index;
    if (settled.outcome.ok) running.resolve(settled.outcome.value as T);
    else running.reject(settled.outcome.error);
  }
}
