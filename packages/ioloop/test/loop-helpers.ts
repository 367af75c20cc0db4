/** Helpers for the event-loop tests (IOLoop, locks, queues, gen). */

import { type LogRecord, setLogHandler } from "@tornado/ioloop";

/** Collects every log record until restore(); Tornado's ExpectLog, roughly. */
export function captureLogs(): { records: LogRecord[]; messages: () => string[]; restore: () => void } {
  const records: LogRecord[] = [];
  const previous = setLogHandler((record) => records.push(record));
  return {
    records,
    messages: () => records.map((record) => record.message),
    restore: () => {
      setLogHandler(previous);
    },
  };
}

/** Resolves once every microtask queued so far (and those they queue) has run. */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => process.nextTick(resolve));
}

/**
 * Tornado tests check `future.done()` synchronously; a Promise can only be observed after its
 * reactions ran, so this flushes microtasks first (no timers, no I/O).
 */
export async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await flushMicrotasks();
  return done;
}

/** Attaches a rejection handler now and gives the outcome later (avoids unhandled rejections). */
export function outcome<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

/** Blocks the thread for `ms` milliseconds (Tornado's time.sleep in a test). */
export function blockFor(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
