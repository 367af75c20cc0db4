/**
 * The binary min-heap behind PriorityQueue and IOLoop's due timeouts, in its own file so that
 * the IOLoop uses it without importing the queues (which wait on the IOLoop).
 */

import type { QueueStorage } from "./queue";

/** Orders items: negative when `a` comes first. */
export type Compare<T> = (a: T, b: T) => number;

/** A binary min-heap (also IOLoop's order of due timeouts). */
export class HeapStorage<T> implements QueueStorage<T> {
  readonly #heap: T[] = [];

  constructor(readonly compare: Compare<T>) {}

  get length(): number {
    return this.#heap.length;
  }

  push(item: T): void {
    const heap = this.#heap;
    heap.push(item);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (this.compare(heap[index]!, heap[parent]!) >= 0) break;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  /** The lowest item, left in place. */
  peek(): T | undefined {
    return this.#heap[0];
  }

  take(): T {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        const right = left + 1;
        let smallest = index;
        if (left < heap.length && this.compare(heap[left]!, heap[smallest]!) < 0) smallest = left;
        if (right < heap.length && this.compare(heap[right]!, heap[smallest]!) < 0) smallest = right;
        if (smallest === index) break;
        [heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
        index = smallest;
      }
    }
    return top;
  }

  *[Symbol.iterator](): Iterator<T> {
    yield* this.#heap;
  }
}
