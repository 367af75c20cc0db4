/**
 * A check that a test closed what it opened: servers, sockets, timers and other handles that
 * keep Node's event loop alive, compared by type before and after (process.getActiveResourcesInfo).
 * Tornado's AsyncTestCase checks the same by closing its IOLoop with all_fds=True.
 */

import { OpenHandlesError, TestingArgumentError } from "./errors";

export interface OpenHandleCheckOptions {
  /** Seconds to wait for handles to close (sockets close a few ticks after end()), default 1. */
  settle?: number;
  /** Resource types never reported, default ["TTYWrap", "PipeWrap", "FSReqCallback", "FSReqPromise"]. */
  ignore?: readonly string[];
}

const DEFAULT_IGNORE = ["TTYWrap", "PipeWrap", "FSReqCallback", "FSReqPromise"];

function countByType(ignore: ReadonlySet<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) {
    if (!ignore.has(type)) counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return counts;
}

function leakedSince(before: Map<string, number>, ignore: ReadonlySet<string>): Record<string, number> {
  const leaked: Record<string, number> = {};
  for (const [type, count] of countByType(ignore)) {
    const extra = count - (before.get(type) ?? 0);
    if (extra > 0) leaked[type] = extra;
  }
  return leaked;
}

/** A snapshot of the open handles; `check()` later reports what is open beyond it. */
export class OpenHandleTracker {
  readonly #before: Map<string, number>;
  readonly #ignore: ReadonlySet<string>;
  readonly #settleMs: number;

  constructor(options: OpenHandleCheckOptions = {}) {
    const { settle = 1, ignore = DEFAULT_IGNORE } = options;
    if (typeof settle !== "number" || !Number.isFinite(settle) || settle < 0) {
      throw new TestingArgumentError(`settle must be a non-negative number of seconds, got ${String(settle)}`);
    }
    this.#ignore = new Set(ignore);
    this.#settleMs = settle * 1000;
    this.#before = countByType(this.#ignore);
  }

  /** What is open now beyond the snapshot, by type, without waiting. */
  leaked(): Record<string, number> {
    return leakedSince(this.#before, this.#ignore);
  }

  /**
   * Waits up to `settle` seconds for the handles opened since the snapshot to close; throws
   * OpenHandlesError listing the ones still open.
   */
  async check(): Promise<void> {
    const deadline = Date.now() + this.#settleMs;
    // Let pending close callbacks run first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    let leaked = this.leaked();
    while (Object.keys(leaked).length > 0 && Date.now() < deadline) {
      // Ref'd: under node:test nothing else may hold the loop open (an unref'd wait would end
      // it, and node:test cancels the test); it has fired before the next look, so it is never counted.
      await new Promise<void>((resolve) => setTimeout(resolve, 5));
      leaked = this.leaked();
    }
    if (Object.keys(leaked).length > 0) throw new OpenHandlesError(leaked);
  }
}

/** Runs `body` and fails with OpenHandlesError if it left handles open. */
export async function expectNoOpenHandles<T>(body: () => Promise<T> | T, options?: OpenHandleCheckOptions): Promise<T> {
  const tracker = new OpenHandleTracker(options);
  const result = await body();
  await tracker.check();
  return result;
}
