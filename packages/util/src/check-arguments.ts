/**
 * Argument checks for the public boundary of every package. Each throws an ArgumentTypeError
 * (a TypeError) or an ArgumentRangeError (a RangeError) whose message names the argument, its
 * unit and the value: "delay must be a finite number of seconds, got NaN". Hot paths inside a
 * package trust their callers and do not call these.
 */

import { describeValue } from "./describe-value";
import { ArgumentRangeError, ArgumentTypeError } from "./errors";

/** Throws unless `value` is a function. */
export function checkCallback(
  value: unknown,
  name = "callback",
): asserts value is (...args: never[]) => unknown {
  if (typeof value !== "function") {
    throw new ArgumentTypeError(`${name} must be a function, got ${describeValue(value)}`);
  }
}

/** Throws unless `value` is a finite number (of `unit`, which the message names). */
export function checkFinite(value: unknown, name: string, unit = "seconds"): asserts value is number {
  if (typeof value !== "number") {
    throw new ArgumentTypeError(`${name} must be a finite number of ${unit}, got ${describeValue(value)}`);
  }
  if (!Number.isFinite(value)) {
    throw new ArgumentRangeError(`${name} must be a finite number of ${unit}, got ${describeValue(value)}`);
  }
}

/** As checkFinite, and also refuses negative numbers. */
export function checkNonNegative(value: unknown, name: string, unit = "seconds"): asserts value is number {
  checkFinite(value, name, unit);
  if (value < 0) {
    throw new ArgumentRangeError(`${name} must be a non-negative number of ${unit}, got ${describeValue(value)}`);
  }
}

/** As checkFinite, and also refuses zero and negative numbers. */
export function checkPositive(value: unknown, name: string, unit = "seconds"): asserts value is number {
  checkFinite(value, name, unit);
  if (!(value > 0)) {
    throw new ArgumentRangeError(`${name} must be a positive number of ${unit}, got ${describeValue(value)}`);
  }
}

/** Throws unless `value` is a safe integer of at least 1: a size, a count, a limit. */
export function checkPositiveInteger(value: unknown, name: string, unit = "bytes"): asserts value is number {
  if (typeof value !== "number") {
    throw new ArgumentTypeError(`${name} must be a positive integer of ${unit}, got ${describeValue(value)}`);
  }
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ArgumentRangeError(`${name} must be a positive integer of ${unit}, got ${describeValue(value)}`);
  }
}

/** Throws unless `value` is a safe integer of at least 0. */
export function checkNonNegativeInteger(value: unknown, name: string, unit = "bytes"): asserts value is number {
  if (typeof value !== "number") {
    throw new ArgumentTypeError(`${name} must be a non-negative integer of ${unit}, got ${describeValue(value)}`);
  }
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ArgumentRangeError(`${name} must be a non-negative integer of ${unit}, got ${describeValue(value)}`);
  }
}
