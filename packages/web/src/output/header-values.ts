/**
 * The rules a response's status line and header values follow before they are accepted:
 * status codes, reason phrases, header values, redirect statuses. Each throws at the call
 * that broke the rule, so the error points at the handler's own line.
 * Tornado: RequestHandler.set_status, _convert_header_value, redirect.
 */

import { ArgumentTypeError } from "@tornado/util";
import { UnsafeHeaderValueError } from "../errors";
import { responses } from "@tornado/httputil";

// RFC 9110 field-value characters (Tornado: RequestHandler._VALID_HEADER_CHARS).
const UNSAFE_HEADER_VALUE = /[^\x09\x20-\x7e\x80-\xff]/;
// A reason phrase with anything outside its ABNF, or "<", becomes "Unknown" (Tornado 6.5.3).
const BAD_REASON = /[^\x09\x20-\x3b\x3d-\x7e\x80-\xff]/;

/** What setHeader and addHeader take. */
export type HeaderValue = string | number | Date | Buffer;

/** Throws ArgumentTypeError naming the value unless it is an integer status from 100 to 999. */
export function checkStatusCode(statusCode: number): void {
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 999) {
    throw new ArgumentTypeError(`status code must be an integer from 100 to 999, got ${String(statusCode)}`);
  }
}

/** The reason phrase to send: the given one ("Unknown" if unsafe), else the standard one. */
export function reasonPhrase(statusCode: number, reason: string | null | undefined): string {
  if (reason === undefined || reason === null) return responses[statusCode] ?? "Unknown";
  return BAD_REASON.test(reason) ? "Unknown" : reason;
}

/**
 * A header value as text: numbers in decimal, Dates as HTTP dates, Buffers as latin-1.
 * Throws UnsafeHeaderValueError on a control character. Tornado: _convert_header_value.
 */
export function headerValueText(value: unknown): string {
  let text: string;
  if (typeof value === "string") text = value;
  else if (typeof value === "number") text = String(Math.trunc(value));
  else if (value instanceof Date) text = value.toUTCString();
  else if (Buffer.isBuffer(value)) text = value.toString("latin1");
  else throw new ArgumentTypeError(`Unsupported header value ${String(value)}`);
  if (UNSAFE_HEADER_VALUE.test(text)) throw new UnsafeHeaderValueError(`Unsafe header value ${JSON.stringify(text)}`);
  return text;
}

/** The redirect status: `status` if given (ArgumentTypeError unless 300-399), else 301 or 302. */
export function redirectStatus(permanent: boolean, status: number | undefined): number {
  if (status === undefined) return permanent ? 301 : 302;
  if (!Number.isInteger(status) || status < 300 || status > 399) {
    throw new ArgumentTypeError(`redirect status must be from 300 to 399, got ${String(status)}`);
  }
  return status;
}
