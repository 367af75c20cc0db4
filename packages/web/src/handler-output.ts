/**
 * The output side of RequestHandler, kept out of request-handler.ts: status and header value
 * rules, buffering what write() takes, joining the buffer, and the framing headers finish()
 * sets. The per-request state (status, headers, buffer) stays in RequestHandler's private
 * fields and is passed in: these functions allocate nothing of their own.
 * Tornado: RequestHandler.set_status, set_header, write, finish.
 */

import { jsonEncode } from "@tornado/escape";
import { responses, type HTTPHeaders } from "@tornado/httputil";
import { ArgumentTypeError } from "@tornado/util";
import type { ApplicationSettings } from "./application";
import { ResponseStateError, UnsafeHeaderValueError, WriteTypeError } from "./errors";

/** The buffered output: text (sent as UTF-8) and bytes, in order. */
export type OutputParts = (string | Buffer)[];

export const EMPTY = Buffer.alloc(0);
export const RESOLVED: Promise<void> = Promise.resolve();
const NOOP = (): void => {};

// RFC 9110 field-value characters (Tornado: RequestHandler._VALID_HEADER_CHARS).
const UNSAFE_HEADER_VALUE = /[^\x09\x20-\x7e\x80-\xff]/;
// A reason phrase with anything outside its ABNF, or "<", becomes "Unknown" (Tornado 6.5.3).
const BAD_REASON = /[^\x09\x20-\x3b\x3d-\x7e\x80-\xff]/;

/** Throws a TypeError naming the value unless it is an integer status from 100 to 999. */
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

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Appends what write() takes to the buffer: text, bytes, or a plain object as JSON (which
 * also sets the JSON Content-Type). Anything else, arrays included, throws WriteTypeError.
 */
export function appendChunk(parts: OutputParts, headers: HTTPHeaders, chunk: unknown, settings: ApplicationSettings): void {
  if (typeof chunk === "string" || Buffer.isBuffer(chunk)) {
    parts.push(chunk);
    return;
  }
  if (chunk instanceof Uint8Array) {
    parts.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    return;
  }
  if (isPlainObject(chunk)) {
    const serializer = settings.jsonSerializer ?? jsonEncode;
    parts.push(serializer(chunk));
    // A constant, valid value: skip setHeader's checks on this hot path.
    headers.delete("Content-Type");
    headers._addTrusted("Content-Type", "application/json; charset=UTF-8");
    return;
  }
  let message = "write() only accepts bytes, unicode, and dict objects";
  if (Array.isArray(chunk)) {
    message +=
      ". Lists not accepted for security reasons; see http://www.tornadoweb.org/en/stable/web.html#tornado.web.RequestHandler.write";
  }
  throw new WriteTypeError(message);
}

/** The buffered parts as one chunk: a string when they all are, else bytes. */
export function joinParts(parts: OutputParts): string | Buffer {
  if (parts.length === 0) return EMPTY;
  if (parts.length === 1) return parts[0];
  let allStrings = true;
  for (const part of parts) if (typeof part !== "string") allStrings = false;
  if (allStrings) return parts.join("");
  return Buffer.concat(parts.map((part) => (typeof part === "string" ? Buffer.from(part) : part)));
}

/** Bytes the parts take on the wire (text as UTF-8). */
export function byteLength(parts: OutputParts): number {
  let total = 0;
  for (const part of parts) total += typeof part === "string" ? Buffer.byteLength(part) : part.length;
  return total;
}

/**
 * The framing headers of a whole response: a status without a body (1xx, 204, 304) drops the
 * content headers and refuses a body; any other gets Content-Length unless it has one.
 */
export function setFinalHeaders(status: number, headers: HTTPHeaders, parts: OutputParts): void {
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) {
    if (byteLength(parts) > 0) throw new ResponseStateError(`Cannot send body with ${status}`);
    headers.delete("Content-Encoding");
    headers.delete("Content-Language");
    headers.delete("Content-Type");
  } else if (!headers.has("Content-Length")) {
    headers._addTrusted("Content-Length", String(byteLength(parts)));
  }
}

/** The redirect status: `status` if given (a TypeError unless 300-399), else 301 or 302. */
export function redirectStatus(permanent: boolean, status: number | undefined): number {
  if (status === undefined) return permanent ? 301 : 302;
  if (!Number.isInteger(status) || status < 300 || status > 399) {
    throw new ArgumentTypeError(`redirect status must be from 300 to 399, got ${String(status)}`);
  }
  return status;
}

/**
 * The caller may not await: marks the promise handled so a closed socket is not an
 * unhandledRejection, while an await still sees the error.
 */
export function settle(promise: Promise<void>): Promise<void> {
  promise.catch(NOOP);
  return promise;
}
