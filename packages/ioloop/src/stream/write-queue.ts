/**
 * WriteQueue: the Promises of IOStream writes that the kernel did not take at once, settled in
 * write order by one shared socket write callback. Internal to IOStream.
 */

const noop = (): void => {};

/** A write's Promise and its settlers (made only for a write that has to wait). */
class WriteSettlers {
  resolve: () => void = noop;
  reject: (error: Error) => void = noop;
  readonly promise: Promise<void>;
  constructor() {
    this.promise = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}

export class WriteQueue {
  // In write order (socket write callbacks run in write order); #head is the next to settle.
  #queue: Array<WriteSettlers | null> = [];
  #head = 0;
  /** Writes not yet handed to the kernel. */
  pending = 0;

  /** A Promise for a write that waits; settle it with `settleNext`. */
  add(): Promise<void> {
    const settlers = new WriteSettlers();
    this.#queue.push(settlers);
    this.pending++;
    return settlers.promise;
  }

  /** Settles the oldest waiting write: resolved, or rejected with `error`. */
  settleNext(error: Error | null): void {
    const queue = this.#queue;
    const settlers = queue[this.#head] as WriteSettlers;
    queue[this.#head++] = null;
    if (this.#head === queue.length) {
      queue.length = 0;
      this.#head = 0;
    }
    this.pending--;
    if (error === null) {
      settlers.resolve();
      return;
    }
    // An unawaited write that fails must not crash the process (Tornado only logs it); marked
    // here rather than on every write, which would cost a Promise per write.
    settlers.promise.catch(noop);
    settlers.reject(error);
  }
}
