/**
 * The default timeout of genTest and the test server helpers.
 * Tornado: testing.get_async_test_timeout.
 */

import { TestingArgumentError } from "./errors";

/** Seconds, when ASYNC_TEST_TIMEOUT is not set. */
export const DEFAULT_ASYNC_TEST_TIMEOUT = 5;

/**
 * The async test timeout in seconds: the ASYNC_TEST_TIMEOUT environment variable (seconds,
 * may be fractional), default 5. Throws TestingArgumentError for a value that is not a
 * positive number.
 */
export function getAsyncTestTimeout(): number {
  const value = process.env["ASYNC_TEST_TIMEOUT"];
  if (value === undefined || value === "") return DEFAULT_ASYNC_TEST_TIMEOUT;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new TestingArgumentError(`ASYNC_TEST_TIMEOUT must be a positive number of seconds, got ${JSON.stringify(value)}`);
  }
  return seconds;
}
