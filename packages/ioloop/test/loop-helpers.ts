/** Helpers for the event-loop tests (IOLoop, locks, queues, gen). */

import { LogLevel, type LogRecord, setLogHandler } from "@tornado/ioloop";

/**
 * Collects every log record until restore() (Tornado's ExpectLog, roughly). Records at ERROR
 * and above go on to the previous handler too, unless they match a pattern the test expects
 * (the argument, or `expect(pattern)` later), so that the log guard (scripts/jest-log-guard.js)
 * fails a test that logged an error it did not mean to.
 */
export function captureLogs(expected?: RegExp): {
  records: LogRecord[];
  messages: () => string[];
  expect: (pattern: RegExp) => void;
  restore: () => void;
} {
  const records: LogRecord[] = [];
  const patterns = expected === undefined ? [] : [expected];
  const previous = setLogHandler((record) => {
    records.push(record);
    if (record.level >= LogLevel.ERROR && !patterns.some((pattern) => pattern.test(record.message))) previous(record);
  });
  return {
    records,
    messages: () => records.map((record) => record.message),
    expect: (pattern) => void patterns.push(pattern),
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
