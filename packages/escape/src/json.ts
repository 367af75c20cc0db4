/**
 * JSON for HTML pages. Tornado: escape.json_encode, escape.json_decode.
 */

import { describeValue } from "@tornado/util";
import { EscapeTypeError } from "./errors";

/**
 * `JSON.stringify(value)` with every `</` written as `<\/`, so the result can sit inside a
 * `<script>` element without closing it. Unlike Python's json.dumps there is no spacing
 * after `,` and `:`, and non-ASCII characters are kept as they are (ARCHITECTURE decision 1);
 * the two decode to the same value. A value JSON cannot represent at the top level
 * (undefined, a function, a symbol) throws EscapeTypeError; cycles and BigInt throw
 * JSON.stringify's TypeError. Tornado: escape.json_encode.
 */
export function jsonEncode(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) {
    throw new EscapeTypeError(`jsonEncode cannot encode ${describeValue(value)}`);
  }
  return text.indexOf("</") === -1 ? text : text.replace(/<\//g, "<\\/");
}

/**
 * Parses JSON from a string or UTF-8 bytes (JSON.parse; a SyntaxError on bad input).
 * Tornado: escape.json_decode.
 */
export function jsonDecode<T = unknown>(value: string | Uint8Array): T {
  if (typeof value === "string") return JSON.parse(value) as T;
  if (value instanceof Uint8Array) {
    return JSON.parse(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("utf8")) as T;
  }
  throw new EscapeTypeError(`jsonDecode expects a string or Buffer, got ${describeValue(value)}`);
}
