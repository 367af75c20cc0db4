/**
 * The errors of @tornado/httpclient.
 *
 * HTTPClientError and its two 599 subclasses keep Tornado's numeric `code` (the HTTP status,
 * or 599 for a network failure or timeout), so `error.code === 404` works as in Tornado; their
 * stable string identifier is `errorCode`. The option and lifecycle errors, which have no HTTP
 * status, carry the string in `code` as every other @tornado package does. Each class works
 * with `instanceof` across copies of the package (TornadoError from @tornado/util).
 */

import { responses } from "@tornado/httputil";
import { TornadoError, TornadoTypeError } from "@tornado/util";
import type { HTTPResponse } from "./http-response";

/** Error codes of this package, stable across releases. */
export const HTTPCLIENT_ERROR_CODES = {
  HTTPClientError: "TORNADO_ERR_HTTPCLIENT_HTTP_STATUS",
  HTTPTimeoutError: "TORNADO_ERR_HTTPCLIENT_TIMEOUT",
  HTTPStreamClosedError: "TORNADO_ERR_HTTPCLIENT_STREAM_CLOSED",
  HTTPRequestOptionError: "TORNADO_ERR_HTTPCLIENT_INVALID_OPTION",
  HTTPClientClosedError: "TORNADO_ERR_HTTPCLIENT_CLOSED",
} as const;

/**
 * A request got a non-2xx answer (and `raiseError` was not false), or failed with code 599.
 * `message` reads like Tornado's `str(error)`: `"HTTP 404: Not Found"`; `reason` is the
 * bare reason phrase (Tornado's `.message`).
 *
 * Tornado: httpclient.HTTPClientError (alias HTTPError), fields code, message, response.
 */
export class HTTPClientError extends TornadoError<number> {
  static override readonly code: string = HTTPCLIENT_ERROR_CODES.HTTPClientError;
  /** The HTTP status code, or 599 when no answer was received (Tornado's `code`). */
  declare readonly code: number;
  /** The reason phrase (Tornado's `HTTPClientError.message`). */
  readonly reason: string;
  /** The response that carried this error, when there is one. */
  response: HTTPResponse | undefined;

  constructor(code: number, message?: string, response?: HTTPResponse, options?: { cause?: unknown }) {
    const reason = message || responses[code] || "Unknown";
    super(`HTTP ${code}: ${reason}`, options);
    this.code = code;
    this.reason = reason;
    this.response = response;
  }

  /** The class's stable identifier, `TORNADO_ERR_HTTPCLIENT_*` (`code` holds the status). */
  get errorCode(): string {
    return (this.constructor as typeof HTTPClientError).code;
  }
}

/**
 * The request did not finish in time: `"Timeout while connecting"` (connectTimeout) or
 * `"Timeout during request"` (requestTimeout). Code 599.
 *
 * Tornado: httpclient.HTTPTimeoutError.
 */
export class HTTPTimeoutError extends HTTPClientError {
  static override readonly code: string = HTTPCLIENT_ERROR_CODES.HTTPTimeoutError;

  constructor(message = "Timeout") {
    super(599, message);
  }
}

/**
 * The connection failed or closed before a complete answer arrived (refused, reset, TLS
 * failure, malformed response). Code 599; `realError` is the underlying socket or parser
 * error, when there is one.
 *
 * Tornado: httpclient.HTTPStreamClosedError (simple_httpclient raises the socket error
 * itself where this port wraps it, so that every network failure has one type).
 */
export class HTTPStreamClosedError extends HTTPClientError {
  static override readonly code: string = HTTPCLIENT_ERROR_CODES.HTTPStreamClosedError;
  /** The error that closed the connection (for example `connect ECONNREFUSED`). */
  readonly realError: Error | undefined;

  constructor(message = "Stream closed", realError?: Error) {
    super(599, realError ? `${message}: ${realError.message}` : message, undefined, { cause: realError });
    this.realError = realError;
  }
}

/**
 * A request option is invalid; thrown (or the fetch rejected) before anything is sent.
 * `option` names the bad option.
 *
 * Tornado raises ValueError / KeyError in these cases.
 */
export class HTTPRequestOptionError extends TornadoTypeError<typeof HTTPCLIENT_ERROR_CODES.HTTPRequestOptionError> {
  static override readonly code = HTTPCLIENT_ERROR_CODES.HTTPRequestOptionError;
  /** The option at fault, e.g. `"requestTimeout"`, `"url"`, `"body"`. */
  readonly option: string;

  constructor(option: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.option = option;
  }
}

/**
 * fetch() was called after close(). Tornado: RuntimeError("fetch() called on closed
 * AsyncHTTPClient").
 */
export class HTTPClientClosedError extends TornadoError<typeof HTTPCLIENT_ERROR_CODES.HTTPClientClosedError> {
  static override readonly code = HTTPCLIENT_ERROR_CODES.HTTPClientClosedError;

  constructor() {
    super("fetch() called on closed AsyncHTTPClient");
  }
}
