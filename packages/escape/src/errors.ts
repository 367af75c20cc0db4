/**
 * The errors of @tornado/escape. Each carries a stable `code` and works with `instanceof`
 * across copies of the package (TornadoError from @tornado/util).
 */

import { TornadoTypeError } from "@tornado/util";

/** Error codes of this package, stable across releases. */
export const ESCAPE_ERROR_CODES = {
  EscapeTypeError: "TORNADO_ERR_ESCAPE_BAD_TYPE",
} as const;

/**
 * A value of a type the function cannot take, e.g. `utf8(42)` or `jsonEncode(undefined)`.
 * A TypeError, as Tornado raises TypeError for the same calls.
 */
export class EscapeTypeError extends TornadoTypeError<typeof ESCAPE_ERROR_CODES.EscapeTypeError> {
  static override readonly code = ESCAPE_ERROR_CODES.EscapeTypeError;
}
