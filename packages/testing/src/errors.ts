/**
 * The errors of @tornado/testing: each is a test failure with a stable `code`, and works
 * with `instanceof` across copies of the package (TornadoError from @tornado/util).
 */

import { TornadoError, TornadoTypeError } from "@tornado/util";

/** Error codes of this package, stable across releases. */
export const TESTING_ERROR_CODES = {
  AsyncTestTimeoutError: "TORNADO_ERR_TESTING_TIMEOUT",
  ExpectLogError: "TORNADO_ERR_TESTING_EXPECT_LOG",
  OpenHandlesError: "TORNADO_ERR_TESTING_OPEN_HANDLES",
  RedisServerError: "TORNADO_ERR_TESTING_REDIS_SERVER",
  TestingArgumentError: "TORNADO_ERR_TESTING_INVALID_ARGUMENT",
} as const;

/**
 * A genTest body did not finish within its timeout. Tornado: the TimeoutError raised by
 * gen_test ("Async operation timed out after 5 seconds").
 */
export class AsyncTestTimeoutError extends TornadoError<typeof TESTING_ERROR_CODES.AsyncTestTimeoutError> {
  static override readonly code = TESTING_ERROR_CODES.AsyncTestTimeoutError;
  /** The timeout that expired, in seconds. */
  readonly timeout: number;

  constructor(timeout: number) {
    super(`Async operation timed out after ${timeout} seconds`);
    this.timeout = timeout;
  }
}

/**
 * An ExpectLog was not satisfied: a required line was not logged, or (with
 * `failOnUnexpected`) something else was. Tornado: "did not get expected log message".
 */
export class ExpectLogError extends TornadoError<typeof TESTING_ERROR_CODES.ExpectLogError> {
  static override readonly code = TESTING_ERROR_CODES.ExpectLogError;
}

/** A test left servers, sockets or timers open. `leaked` lists them by resource type. */
export class OpenHandlesError extends TornadoError<typeof TESTING_ERROR_CODES.OpenHandlesError> {
  static override readonly code = TESTING_ERROR_CODES.OpenHandlesError;
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

/**
 * A test's redis-server could not start: not installed, already running, or it exited before
 * it was ready (its output is in the message).
 */
export class RedisServerError extends TornadoError<typeof TESTING_ERROR_CODES.RedisServerError> {
  static override readonly code = TESTING_ERROR_CODES.RedisServerError;
}

/** A helper of this package got a bad argument; the message names it. */
export class TestingArgumentError extends TornadoTypeError<typeof TESTING_ERROR_CODES.TestingArgumentError> {
  static override readonly code = TESTING_ERROR_CODES.TestingArgumentError;
}
