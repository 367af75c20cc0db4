/**
 * The errors of @tornado/escape. Each carries a stable `code` and works with `instanceof`
 * across copies of the package (see brandError).
 */

import { brandError } from "./brand-error";

/** Error codes of this package, stable across releases. */
export const ESCAPE_ERROR_CODES = {
  EscapeTypeError: "TORNADO_ERR_ESCAPE_BAD_TYPE",
} as const;

/**
 * A value of a type the function cannot take, e.g. `utf8(42)` or `jsonEncode(undefined)`.
 * A TypeError, as Tornado raises TypeError for the same calls.
 */
export class EscapeTypeError extends TypeError {
  override readonly name = "EscapeTypeError";
  readonly code = ESCAPE_ERROR_CODES.EscapeTypeError;
}
brandError(EscapeTypeError, ESCAPE_ERROR_CODES.EscapeTypeError);

/** Describes a value for an error message: its type and a short rendering. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "function") return "a function";
  if (typeof value === "object") return `an object (${Object.prototype.toString.call(value)})`;
  const text = String(value);
  return `${typeof value} ${text.length > 40 ? text.slice(0, 40) + "..." : text}`;
}
