/**
 * The errors of @tornado/httpserver: the HTTP/1 framing limits, each an HTTPInputError (from
 * @tornado/httputil) that carries the status the server answers before closing the connection.
 * Each has Tornado's naming, a stable `code`, and works with `instanceof` across copies of the
 * package.
 */

import { HTTPInputError } from "@tornado/httputil";

/** Error codes of this package, stable across releases. */
export const HTTPSERVER_ERROR_CODES = {
  HTTPHeadersTooLargeError: "TORNADO_ERR_HTTP_HEADERS_TOO_LARGE",
  HTTPBodyTooLargeError: "TORNADO_ERR_HTTP_BODY_TOO_LARGE",
  HTTPURITooLongError: "TORNADO_ERR_HTTP_URI_TOO_LONG",
} as const;

/**
 * The request's header block exceeded `maxHeaderSize`. Answered 431 and closed (Tornado closes
 * without an answer; a documented difference).
 */
export class HTTPHeadersTooLargeError extends HTTPInputError<typeof HTTPSERVER_ERROR_CODES.HTTPHeadersTooLargeError> {
  static override readonly code = HTTPSERVER_ERROR_CODES.HTTPHeadersTooLargeError;
  override readonly statusCode: number = 431;
}

/**
 * The request body (declared Content-Length, chunked total or decompressed size) exceeded
 * `maxBodySize`. Answered 413 and closed (Tornado answers 400; a documented difference).
 */
export class HTTPBodyTooLargeError extends HTTPInputError<typeof HTTPSERVER_ERROR_CODES.HTTPBodyTooLargeError> {
  static override readonly code = HTTPSERVER_ERROR_CODES.HTTPBodyTooLargeError;
  override readonly statusCode: number = 413;
}

/**
 * The request line alone exceeded `maxHeaderSize`. Answered 414 and closed (Tornado closes
 * without an answer).
 */
export class HTTPURITooLongError extends HTTPInputError<typeof HTTPSERVER_ERROR_CODES.HTTPURITooLongError> {
  static override readonly code = HTTPSERVER_ERROR_CODES.HTTPURITooLongError;
  override readonly statusCode: number = 414;
}
