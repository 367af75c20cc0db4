/**
 * The errors of @tornado/util: the argument checks every package uses at its public boundary.
 */

import { TornadoRangeError, TornadoTypeError } from "./tornado-error";

/** Error codes of this package, stable across releases. */
export const UTIL_ERROR_CODES = {
  ArgumentTypeError: "TORNADO_ERR_ARGUMENT_TYPE",
  ArgumentRangeError: "TORNADO_ERR_ARGUMENT_RANGE",
} as const;

/**
 * An argument of the wrong type: `sleep("1")`, a callback that is not a function. The message
 * names the argument and describes the value. Tornado raises TypeError for the same calls.
 */
export class ArgumentTypeError extends TornadoTypeError<typeof UTIL_ERROR_CODES.ArgumentTypeError> {
  static override readonly code = UTIL_ERROR_CODES.ArgumentTypeError;
}

/**
 * An argument of the right type outside its range: NaN, a negative delay, a size of 0. The
 * message names the argument, its unit and the value. Tornado raises ValueError.
 */
export class ArgumentRangeError extends TornadoRangeError<typeof UTIL_ERROR_CODES.ArgumentRangeError> {
  static override readonly code = UTIL_ERROR_CODES.ArgumentRangeError;
}
