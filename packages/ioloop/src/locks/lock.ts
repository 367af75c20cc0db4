/**
 * Tornado: locks.Lock.
 */

import { BoundedSemaphore } from "./bounded-semaphore";
import { LockNotHeldError, SemaphoreOverReleaseError } from "../errors";
import type { Releaser } from "./semaphore";
import type { Timeout, WaitOptions } from "../loop/timeout-option";

/**
 * A mutex for tasks: acquire() waits while another task holds it; waiters are served in order.
 * Not reentrant. Tornado: locks.Lock.
 *
 * @example
 * const lock = new Lock();
 * await lock.withAcquire(async () => { await update(); });
 * { using _ = await lock.acquire(); await update(); } // released at the block's end
 */
export class Lock {
  readonly #block = new BoundedSemaphore(1);

  /**
   * Resolves to a Releaser once the lock is held; rejects with TimeoutError if `timeout`
   * passes first. Tornado: Lock.acquire.
   * @param timeout seconds from now, or `{ deadline }` in IOLoop.time() seconds (default none), or
   *   `{ timeout, signal }`: aborting `signal` rejects with its reason and leaves no waiter behind
   */
  acquire(timeout?: Timeout | WaitOptions | null): Promise<Releaser> {
    return this.#block.acquire(timeout);
  }

  /** Unlocks, handing the lock to the first waiter. Throws LockNotHeldError when unlocked. Tornado: Lock.release. */
  release(): void {
    try {
      this.#block.release();
    } catch (error) {
      if (error instanceof SemaphoreOverReleaseError) throw new LockNotHeldError("release unlocked lock");
      throw error;
    }
  }

  /** True while held. */
  locked(): boolean {
    return this.#block.value === 0;
  }

  /** Acquires, runs `fn`, and releases even if `fn` throws: Python's `async with lock:`. */
  withAcquire<R>(fn: () => R | PromiseLike<R>, timeout?: Timeout | WaitOptions | null): Promise<Awaited<R>> {
    return this.#block.withAcquire(fn, timeout);
  }

  toString(): string {
    return `<Lock _block=${this.#block.toString()}>`;
  }
}
