/**
 * Argument checks shared by the event-loop half of the package (IOLoop, PeriodicCallback, gen
 * helpers, locks, queues, process). Internal: not exported from the package.
 */

/** A short description of a bad value for an error message: `NaN`, `"5"`, `object`, `null`. */
export function describeValue(value: unknown): string {
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
    return String(value);
  }
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "..." : value);
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "function") return "a function";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}

/** Throws a TypeError unless `value` is a function. */
export function checkCallback(value: unknown, name = "callback"): asserts value is (...args: never[]) => unknown {
  if (typeof value !== "function") {
    throw new TypeError(`${name} must be a function, got ${describeValue(value)}`);
  }
}

/**
 * Throws unless `value` is a finite number: TypeError for a non-number, RangeError for NaN or
 * an infinity ("delay must be a finite number of seconds, got NaN").
 */
export function checkFinite(value: unknown, name: string, unit = "seconds"): asserts value is number {
  if (typeof value !== "number") {
    throw new TypeError(`${name} must be a finite number of ${unit}, got ${describeValue(value)}`);
  }
  if (!Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite number of ${unit}, got ${describeValue(value)}`);
  }
}

/** As checkFinite, and also rejects negative numbers. */
export function checkNonNegative(value: unknown, name: string, unit = "seconds"): asserts value is number {
  checkFinite(value, name, unit);
  if (value < 0) {
    throw new RangeError(`${name} must be a non-negative number of ${unit}, got ${describeValue(value)}`);
  }
}

/** A readable name for a callback in log messages: its function name or `<anonymous>`. */
export function callbackName(callback: (...args: never[]) => unknown): string {
  return callback.name ? `${callback.name}()` : "<anonymous function>";
}
