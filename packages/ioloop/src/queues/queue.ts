/**
 * Tornado: queues.Queue.
 */

import { inspect } from "node:util";
import { ArgumentRangeError, ArgumentTypeError, describeValue } from "@tornado/util";
import { Deque } from "../locks/deque";
import { QueueEmpty, QueueFull, QueueTaskDoneError, TimeoutError } from "../errors";
import { Event } from "../locks/event";
import { type Timeout, type WaitOptions, waitArguments } from "../loop/timeout-option";
import { Waiter } from "../locks/waiter";

/** Where a queue keeps its items; subclasses choose the order. Internal. */
export interface QueueStorage<T> extends Iterable<T> {
  readonly length: number;
  push(item: T): void;
  /** Removes and returns the next item in the queue's order; only called when length > 0. */
  take(): T;
}

class FifoStorage<T> extends Deque<T> implements QueueStorage<T> {
  take(): T {
    return this.shift() as T;
  }
}

/**
 * Coordinates producer and consumer tasks: first in, first out, optionally bounded.
 * put() waits while the queue is full, get() while it is empty; both accept a timeout and
 * reject with TimeoutError. taskDone() and join() track the work on items got.
 * `for await (const item of queue)` gets items forever. Tornado: queues.Queue.
 *
 * @example
 * const queue = new Queue<number>(2);
 * (async () => { for await (const item of queue) { await work(item); queue.taskDone(); } })();
 * for (let i = 0; i < 5; i++) await queue.put(i);
 * await queue.join();
 */
export class Queue<T> implements AsyncIterable<T> {
  readonly #maxsize: number;
  #storage: QueueStorage<T> | null = null;
  readonly #getters = new Deque<Waiter<T>>();
  readonly #putters = new Deque<{ item: T; waiter: Waiter<void> }>();
  #unfinishedTasks = 0;
  readonly #finished = new Event();

  /** @param maxsize items allowed in the queue, a number >= 0; 0 (default) means unbounded */
  constructor(maxsize = 0) {
    if (typeof maxsize !== "number") {
      throw new ArgumentTypeError(`maxsize must be a number >= 0, got ${describeValue(maxsize)}`);
    }
    if (!(maxsize >= 0)) {
      throw new ArgumentRangeError(`maxsize must be a number >= 0, got ${describeValue(maxsize)}`);
    }
    this.#maxsize = maxsize;
    this.#finished.set();
  }

  /** Number of items allowed in the queue; 0 means unbounded. Tornado: Queue.maxsize. */
  get maxsize(): number {
    return this.#maxsize;
  }

  /** Number of items in the queue. Tornado: Queue.qsize. */
  qsize(): number {
    return this.#items.length;
  }

  /** Tornado: Queue.empty. */
  empty(): boolean {
    return this.#items.length === 0;
  }

  /** Tornado: Queue.full. */
  full(): boolean {
    return this.#maxsize !== 0 && this.#items.length >= this.#maxsize;
  }

  /**
   * Puts an item, waiting while the queue is full. Rejects with TimeoutError if `timeout`
   * passes first (the item is then not added). Tornado: Queue.put.
   * @param timeout seconds from now, or `{ deadline }` in IOLoop.time() seconds (default none), or
   *   `{ timeout, signal }`: aborting `signal` rejects with its reason and leaves no waiter behind
   */
  put(item: T, timeout?: Timeout | WaitOptions | null): Promise<void> {
    const { deadline, signal } = waitArguments(timeout);
    if (signal?.aborted) return Promise.reject(signal.reason);
    try {
      this.putNowait(item);
    } catch (error) {
      if (!(error instanceof QueueFull)) throw error;
      const waiter = new Waiter<void>();
      const putter = { item, waiter };
      this.#putters.push(putter);
      waiter.setSignal(signal, () => this.#putters.retain((each) => each !== putter));
      waiter.setTimeout(deadline, () => waiter.reject(new TimeoutError("Timeout")));
      return waiter.promise;
    }
    return Promise.resolve();
  }

  /** Puts an item without waiting; throws QueueFull when there is no room. Tornado: Queue.put_nowait. */
  putNowait(item: T): void {
    this.#consumeExpired();
    if (this.#getters.length > 0) {
      const getter = this.#getters.shift()!;
      this.#putInternal(item);
      getter.resolve(this.#items.take());
    } else if (this.full()) {
      throw new QueueFull(`queue is full (maxsize ${this.#maxsize})`);
    } else {
      this.#putInternal(item);
    }
  }

  /**
   * Removes and returns an item, waiting while the queue is empty. Rejects with TimeoutError
   * if `timeout` passes first. Tornado: Queue.get.
   * @param timeout seconds from now, or `{ deadline }` in IOLoop.time() seconds (default none), or
   *   `{ timeout, signal }`: aborting `signal` rejects with its reason and leaves no waiter behind
   */
  get(timeout?: Timeout | WaitOptions | null): Promise<T> {
    const { deadline, signal } = waitArguments(timeout);
    if (signal?.aborted) return Promise.reject(signal.reason);
    try {
      return Promise.resolve(this.getNowait());
    } catch (error) {
      if (!(error instanceof QueueEmpty)) throw error;
    }
    const waiter = new Waiter<T>();
    this.#getters.push(waiter);
    waiter.setSignal(signal, () => this.#getters.retain((each) => each !== waiter));
    waiter.setTimeout(deadline, () => waiter.reject(new TimeoutError("Timeout")));
    return waiter.promise;
  }

  /** Removes and returns an item without waiting; throws QueueEmpty when there is none. Tornado: Queue.get_nowait. */
  getNowait(): T {
    this.#consumeExpired();
    if (this.#putters.length > 0) {
      // The queue is full and a putter is waiting: take its item in, then hand out the next.
      const { item, waiter } = this.#putters.shift()!;
      this.#putInternal(item);
      waiter.resolve();
      return this.#items.take();
    }
    if (this.#items.length > 0) return this.#items.take();
    throw new QueueEmpty("queue is empty");
  }

  /**
   * Marks one item got from the queue as processed; join() resolves when every put item has
   * been marked. Throws QueueTaskDoneError when called more times than items were put.
   * Tornado: Queue.task_done.
   */
  taskDone(): void {
    if (this.#unfinishedTasks <= 0) {
      throw new QueueTaskDoneError("taskDone() called too many times");
    }
    this.#unfinishedTasks -= 1;
    if (this.#unfinishedTasks === 0) this.#finished.set();
  }

  /**
   * Resolves when every item put has been marked with taskDone(); rejects with TimeoutError
   * if `timeout` passes first. Tornado: Queue.join.
   * @param timeout seconds from now, or `{ deadline }` in IOLoop.time() seconds (default none), or
   *   `{ timeout, signal }`: aborting `signal` rejects with its reason and leaves no waiter behind
   */
  join(timeout?: Timeout | WaitOptions | null): Promise<void> {
    return this.#finished.wait(timeout);
  }

  /** Endless iteration: each step is a get(). Tornado: Queue.__aiter__. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => this.get().then((value) => ({ value, done: false as const })),
    };
  }

  /** As Tornado's str(): `<Queue maxsize=1 queue=[0] getters[1] putters[1] tasks=2>`. */
  toString(): string {
    let result = `<${this.constructor.name} maxsize=${this.#maxsize}`;
    if (this.#items.length > 0) {
      result += ` queue=${inspect([...this.#items], { breakLength: Infinity, depth: 1 })}`;
    }
    if (this.#getters.length > 0) result += ` getters[${this.#getters.length}]`;
    if (this.#putters.length > 0) result += ` putters[${this.#putters.length}]`;
    if (this.#unfinishedTasks > 0) result += ` tasks=${this.#unfinishedTasks}`;
    return result + ">";
  }

  [inspect.custom](): string {
    return this.toString();
  }

  /** The container for the items, FIFO here; PriorityQueue and LifoQueue override it. */
  protected createStorage(): QueueStorage<T> {
    return new FifoStorage<T>();
  }

  get #items(): QueueStorage<T> {
    // Created on first use, so that a subclass's constructor has run (PriorityQueue's comparator).
    return (this.#storage ??= this.createStorage());
  }

  #putInternal(item: T): void {
    this.#unfinishedTasks += 1;
    this.#finished.clear();
    this.#items.push(item);
  }

  /** Drops timed-out waiters from the front of both lists, as Tornado's _consume_expired. */
  #consumeExpired(): void {
    while (this.#putters.length > 0 && this.#putters.peek()!.waiter.done) this.#putters.shift();
    while (this.#getters.length > 0 && this.#getters.peek()!.done) this.#getters.shift();
  }
}
