/**
 * Tornado: queues.PriorityQueue.
 */

import { ArgumentTypeError, describeValue } from "@tornado/util";
import { HeapStorage, type Compare } from "./heap-storage";
import { Queue, type QueueStorage } from "./queue";

/**
 * Python's ordering for the usual priority entries: numbers, bigints and strings by value,
 * arrays (tuples such as `[priority, data]`) element by element, a shorter prefix first.
 * Anything else throws a TypeError asking for a compare function.
 */
export function defaultCompare(a: unknown, b: unknown): number {
  const typeA = typeof a;
  if ((typeA === "number" || typeA === "bigint") && (typeof b === "number" || typeof b === "bigint")) {
    return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  }
  if (typeA === "string" && typeof b === "string") {
    return (a as string) < b ? -1 : (a as string) > b ? 1 : 0;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const length = Math.min(a.length, b.length);
    for (let i = 0; i < length; i++) {
      const order = defaultCompare(a[i], b[i]);
      if (order !== 0) return order;
    }
    return a.length - b.length;
  }
  throw new ArgumentTypeError(
    `PriorityQueue cannot compare ${describeValue(a)} with ${describeValue(b)}; pass a compare function`,
  );
}

/**
 * A Queue that hands out the lowest item first, typically `[priority, data]` tuples.
 * Tornado: queues.PriorityQueue.
 *
 * @example
 * const queue = new PriorityQueue<[number, string]>();
 * queue.putNowait([1, "medium"]); queue.putNowait([0, "high"]);
 * queue.getNowait(); // [0, "high"]
 */
export class PriorityQueue<T> extends Queue<T> {
  readonly #compare: Compare<T>;

  /**
   * @param maxsize as Queue, default 0 (unbounded)
   * @param compare item order, default defaultCompare (numbers, strings, tuples as in Python)
   */
  constructor(maxsize = 0, compare: Compare<T> = defaultCompare) {
    super(maxsize);
    if (typeof compare !== "function") {
      throw new ArgumentTypeError(`compare must be a function, got ${describeValue(compare)}`);
    }
    this.#compare = compare;
  }

  protected override createStorage(): QueueStorage<T> {
    return new HeapStorage<T>(this.#compare);
  }
}
