/**
 * Tornado: queues.LifoQueue.
 */

import { Queue, type QueueStorage } from "./queue";

class StackStorage<T> implements QueueStorage<T> {
  readonly #stack: T[] = [];

  get length(): number {
    return this.#stack.length;
  }

  push(item: T): void {
    this.#stack.push(item);
  }

  take(): T {
    return this.#stack.pop()!;
  }

  [Symbol.iterator](): Iterator<T> {
    return this.#stack[Symbol.iterator]();
  }
}

/**
 * A Queue that hands out the most recently put item first. Tornado: queues.LifoQueue.
 *
 * @example
 * const queue = new LifoQueue<number>();
 * queue.putNowait(1); queue.putNowait(2);
 * queue.getNowait(); // 2
 */
export class LifoQueue<T> extends Queue<T> {
  protected override createStorage(): QueueStorage<T> {
    return new StackStorage<T>();
  }
}
