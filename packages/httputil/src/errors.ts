/**
 * The errors of @tornado/httputil. Each carries Tornado's class name, a stable `code`, works
 * with `instanceof` across copies of the package, and, for input errors, the status a server
 * answers with (`statusCode`).
 */

import { TornadoError } from "@tornado/util";

/** Error codes of this package, stable across releases. */
export const HTTPUTIL_ERROR_CODES = {
  HTTPInputError: "TORNADO_ERR_HTTP_INPUT",
  HTTPOutputError: "TORNADO_ERR_HTTP_OUTPUT",
  MultipartError: "TORNADO_ERR_HTTP_MULTIPART",
  HTTPTooManyArgumentsError: "TORNADO_ERR_HTTP_TOO_MANY_ARGUMENTS",
} as const;

/**
 * Malformed HTTP input from the peer: a bad request line, header, framing, body encoding or
 * form body. A server answers `statusCode` (400 unless a subclass says otherwise).
 * Tornado: httputil.HTTPInputError.
 */
export class HTTPInputError<Code extends string = typeof HTTPUTIL_ERROR_CODES.HTTPInputError> extends TornadoError<Code> {
  static override readonly code: string = HTTPUTIL_ERROR_CODES.HTTPInputError;
  /** The status a server answers with: 400. */
  readonly statusCode: number = 400;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The application produced an invalid response: more or fewer bytes than the Content-Length it
 * declared, a write after finish(), a CR or LF in a header. The connection is closed.
 * Tornado: httputil.HTTPOutputError.
 */
export class HTTPOutputError extends TornadoError<typeof HTTPUTIL_ERROR_CODES.HTTPOutputError> {
  static override readonly code = HTTPUTIL_ERROR_CODES.HTTPOutputError;
}

/**
 * A malformed multipart/form-data body (400), or one over a limit of the parser: parts, part
 * header size, field or file size (413). An HTTPInputError, as Tornado raises for the same
 * input.
 */
export class MultipartError extends HTTPInputError<typeof HTTPUTIL_ERROR_CODES.MultipartError> {
  static override readonly code = HTTPUTIL_ERROR_CODES.MultipartError;
  override readonly statusCode: number;

  /** @param statusCode 400 (malformed, the default) or 413 (a limit exceeded) */
  constructor(statusCode: 400 | 413, message: string);
  constructor(message: string);
  constructor(statusOrMessage: 400 | 413 | string, message?: string) {
    super(typeof statusOrMessage === "string" ? statusOrMessage : (message as string));
    this.statusCode = typeof statusOrMessage === "string" ? 400 : statusOrMessage;
  }
}

/**
 * A query string or urlencoded body with more fields than `maxArguments` allows (default
 * 1000, as Tornado 6.5.8+). Answered 413 for a body, 414 for a query string; parsing stops at
 * the first field over the limit, so the cost of a hostile input is bounded.
 */
export class HTTPTooManyArgumentsError extends HTTPInputError<typeof HTTPUTIL_ERROR_CODES.HTTPTooManyArgumentsError> {
  static override readonly code = HTTPUTIL_ERROR_CODES.HTTPTooManyArgumentsError;
  override readonly statusCode: number;
  /** The limit that was exceeded (fields). */
  readonly limit: number;

  /**
   * @param source `"body"` (413, the default) or `"query"` (414)
   */
  constructor(message: string, options: { limit?: number; source?: "body" | "query" } = {}) {
    super(message);
    this.limit = options.limit ?? 0;
    this.statusCode = options.source === "query" ? 414 : 413;
  }
}
