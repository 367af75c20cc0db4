/**
 * Tornado: locks.BoundedSemaphore.
 */

import { SemaphoreOverReleaseError } from "../errors";
import { Semaphore } from "./semaphore";

/**
 * A Semaphore whose release() throws SemaphoreOverReleaseError past the initial value, which
 * usually means a bug (a release without an acquire). Tornado: locks.BoundedSemaphore.
 */
export class BoundedSemaphore extends Semaphore {
  readonly #initialValue: number;

  /** @param value initial and maximum counter, an integer >= 0, default 1 */
  constructor(value = 1) {
    super(value);
    this.#initialValue = value;
  }

  /** As Semaphore.release, but throws SemaphoreOverReleaseError when it would exceed the initial value. */
  override release(): void {
    if (this.value >= this.#initialValue) {
      throw new SemaphoreOverReleaseError("Semaphore released too many times");
    }
    super.release();
  }
}
