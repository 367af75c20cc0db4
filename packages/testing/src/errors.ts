/**
 * The errors of @tornado/testing: each is a test failure with a stable `code`, and works
 * with `instanceof` across copies of the package (see brandError).
 */

import { brandError } from "@tornado/escape";

/** Error codes of this package, stable across releases. */
export const TESTING_ERROR_CODES = {
  AsyncTestTimeoutError: "TORNADO_ERR_TESTING_TIMEOUT",
  ExpectLogError: "TORNADO_ERR_TESTING_EXPECT_LOG",
  OpenHandlesError: "TORNADO_ERR_TESTING_OPEN_HANDLES",
  TestingArgumentError: "TORNADO_ERR_TESTING_INVALID_ARGUMENT",
} as const;

/**
 * A genTest body did not finish within its timeout. Tornado: the TimeoutError raised by
 * gen_test ("Async operation timed out after 5 seconds").
 */
export class AsyncTestTimeoutError extends Error {
  override readonly name = "AsyncTestTimeoutError";
  readonly code = TESTING_ERROR_CODES.AsyncTestTimeoutError;
  /** The timeout that expired, in seconds. */
  readonly timeout: number;

  constructor(timeout: number) {
    super(`Async operation timed out after ${timeout} seconds`);
    this.timeout = timeout;
  }
}
brandError(AsyncTestTimeoutError, TESTING_ERROR_CODES.AsyncTestTimeoutError);

/**
 * An ExpectLog was not satisfied: a required line was not logged, or (with
 * `failOnUnexpected`) something else was. Tornado: "did not get expected log message".
 */
export class ExpectLogError extends Error {
  override readonly name = "ExpectLogError";
  readonly code = TESTING_ERROR_CODES.ExpectLogError;
}
brandError(ExpectLogError, TESTING_ERROR_CODES.ExpectLogError);

/** A test left servers, sockets or timers open. `leaked` lists them by resource type. */
export class OpenHandlesError extends Error {
  override readonly name = "OpenHandlesError";
  readonly code = TESTING_ERROR_CODES.OpenHandlesError;
  /** Resource type -> how many more are open than before the test (e.g. `{ TCPSocketWrap: 2 }`). */
  readonly leaked: Readonly<Record<string, number>>;

  constructor(leaked: Record<string, number>) {
    const list = Object.entries(leaked)
      .map(([type, count]) => `${type} x${count}`)
      .join(", ");
    super(`test left open handles behind: ${list}`);
    this.leaked = leaked;
  }
}
brandError(OpenHandlesError, TESTING_ERROR_CODES.OpenHandlesError);

/** A helper of this package got a bad argument; the message names it. */
export class TestingArgumentError extends TypeError {
  override readonly name = "TestingArgumentError";
  readonly code = TESTING_ERROR_CODES.TestingArgumentError;
}
brandError(TestingArgumentError, TESTING_ERROR_CODES.TestingArgumentError);
