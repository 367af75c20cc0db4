/**
 * The errors of @tornado/httpserver: the HTTP/1 framing limits, each an HTTPInputError (from
 * @tornado/httputil) that carries the status the server answers before closing the connection,
 * and HTTP/2's two. Each has Tornado's naming, a stable `code`, and works with `instanceof`
 * across copies of the package.
 */

import { HTTPInputError } from "@tornado/httputil";
import { TornadoError } from "@tornado/util";

/** Error codes of this package, stable across releases. */
export const HTTPSERVER_ERROR_CODES = {
  HTTPHeadersTooLargeError: "TORNADO_ERR_HTTP_HEADERS_TOO_LARGE",
  HTTPBodyTooLargeError: "TORNADO_ERR_HTTP_BODY_TOO_LARGE",
  HTTPURITooLongError: "TORNADO_ERR_HTTP_URI_TOO_LONG",
  HTTP2UnsupportedError: "TORNADO_ERR_HTTP2_UNSUPPORTED",
  HTTP2UnavailableError: "TORNADO_ERR_HTTP2_UNAVAILABLE",
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

/**
 * An HTTP/1-only operation on an HTTP/2 stream: detach() (taking the socket for an Upgrade,
 * e.g. a WebSocket) cannot work, as the connection carries other streams, and HTTP/2 has no
 * 101 response. Not in Tornado, which has no HTTP/2.
 */
export class HTTP2UnsupportedError extends TornadoError<typeof HTTPSERVER_ERROR_CODES.HTTP2UnsupportedError> {
  static override readonly code = HTTPSERVER_ERROR_CODES.HTTP2UnsupportedError;
}

/**
 * HTTPServer was asked for HTTP/2 (`http2: true`) on a Node.js without the fixes it needs:
 * `http2.performServerHandshake` and the CONTINUATION-flood fix (CVE-2024-27983) arrived in
 * Node 20.12.1 (21.7.2, 18.20.1). Thrown by the HTTPServer constructor.
 */
export class HTTP2UnavailableError extends TornadoError<typeof HTTPSERVER_ERROR_CODES.HTTP2UnavailableError> {
  static override readonly code = HTTPSERVER_ERROR_CODES.HTTP2UnavailableError;
}
