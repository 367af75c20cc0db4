/**
 * genTest: runs an async test body with a timeout, for Jest (or any runner that takes a
 * function returning a Promise). Tornado: testing.gen_test.
 */

import { getAsyncTestTimeout } from "./async-test-timeout";
import { AsyncTestTimeoutError, TestingArgumentError } from "./errors";

export interface GenTestOptions {
  /** Seconds; default getAsyncTestTimeout() (ASYNC_TEST_TIMEOUT, else 5), read when the test runs. */
  timeout?: number;
}

/**
 * Wraps an async test body: the returned function rejects with AsyncTestTimeoutError when
 * the body has not settled within the timeout (the body is not cancelled: JavaScript cannot
 * cancel a Promise, so give it resources it can close in afterEach). Keep Jest's own
 * testTimeout above this one so that this clearer error wins.
 *
 * @example it("fetches", genTest(async () => { ... }, { timeout: 10 }));
 */
export function genTest<T>(body: () => Promise<T> | T, options: GenTestOptions = {}): () => Promise<T> {
  if (typeof body !== "function") {
    throw new TestingArgumentError(`genTest needs a test function, got ${typeof body}`);
  }
  const { timeout } = options;
  if (timeout !== undefined && (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout <= 0)) {
    throw new TestingArgumentError(`timeout must be a positive number of seconds, got ${String(timeout)}`);
  }
  return () => {
    const seconds = timeout ?? getAsyncTestTimeout();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new AsyncTestTimeoutError(seconds)), seconds * 1000);
    });
    const running = Promise.resolve().then(body);
    return Promise.race([running, expired]).finally(() => clearTimeout(timer));
  };
}
