/**
 * The errors of @tornado/web, one table of codes for the whole package. Each carries
 * Tornado's class name and fields, a stable `code`, and works with `instanceof` across copies
 * of the package (TornadoError from @tornado/util). HTTPError and its subclasses carry their
 * wire answer in `statusCode`.
 */

import { ArgumentTypeError, TornadoError, TornadoTypeError } from "@tornado/util";
import { responses } from "@tornado/httputil";

/** Error codes of this package, stable across releases. */
export const WEB_ERROR_CODES = {
  HTTPError: "TORNADO_ERR_WEB_HTTP_ERROR",
  MissingArgumentError: "TORNADO_ERR_WEB_MISSING_ARGUMENT",
  Finish: "TORNADO_ERR_WEB_FINISH",
  ResponseStateError: "TORNADO_ERR_WEB_RESPONSE_STATE",
  UnsafeHeaderValueError: "TORNADO_ERR_WEB_UNSAFE_HEADER_VALUE",
  WriteTypeError: "TORNADO_ERR_WEB_WRITE_TYPE",
  HandlerReturnTypeError: "TORNADO_ERR_WEB_HANDLER_RETURN_TYPE",
  RouteError: "TORNADO_ERR_WEB_ROUTE",
  UrlNotFoundError: "TORNADO_ERR_WEB_URL_NOT_FOUND",
  CannotReverseError: "TORNADO_ERR_WEB_CANNOT_REVERSE",
  MissingSettingError: "TORNADO_ERR_WEB_MISSING_SETTING",
  NotImplementedError: "TORNADO_ERR_WEB_NOT_IMPLEMENTED",
  UIModuleError: "TORNADO_ERR_WEB_UI_MODULE",
  CookieError: "TORNADO_ERR_WEB_COOKIE_INVALID",
  SignedValueError: "TORNADO_ERR_WEB_SIGNED_VALUE",
  LocaleError: "TORNADO_ERR_WEB_LOCALE",
  NodeContainerError: "TORNADO_ERR_WEB_NODE_CONTAINER",
} as const;

/**
 * The codes of the cookie, signed-value and locale errors, which had a table of their own
 * before 0.x; the same strings are in WEB_ERROR_CODES.
 * @deprecated Use WEB_ERROR_CODES.
 */
export const WEB_FEATURE_ERROR_CODES = {
  CookieError: WEB_ERROR_CODES.CookieError,
  SignedValueError: WEB_ERROR_CODES.SignedValueError,
  LocaleError: WEB_ERROR_CODES.LocaleError,
} as const;

/** Options accepted as the last argument of `new HTTPError(...)`. */
export interface HTTPErrorOptions {
  /** The reason phrase on the status line; default the standard phrase, else "Unknown". */
  reason?: string;
  /** The error that caused this one. */
  cause?: unknown;
}

function isOptions(value: unknown): value is HTTPErrorOptions {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype !== Object.prototype && prototype !== null) return false;
  for (const key of Object.keys(value)) if (key !== "reason" && key !== "cause") return false;
  return true;
}

/**
 * Python's `%` formatting for log messages: `%s`, `%d`, `%i`, `%r`, `%f` and `%%`.
 * Without args the message is returned unchanged (Tornado 6.5 does the same).
 */
export function percentFormat(message: string, args: readonly unknown[]): string {
  if (args.length === 0) return message;
  let index = 0;
  return message.replace(/%([%sdirf])/g, (whole, kind: string) => {
    if (kind === "%") return "%";
    if (index >= args.length) return whole;
    const value = args[index++];
    if (kind === "d" || kind === "i") return String(Math.trunc(Number(value)));
    if (kind === "r") return typeof value === "string" ? `'${value}'` : String(value);
    if (kind === "f") return Number(value).toFixed(6);
    return String(value);
  });
}

/**
 * An exception that turns into an HTTP error response. Thrown from a handler, it is answered
 * with `statusCode` and the handler's writeError page; the `logMessage` is logged (not sent).
 *
 * `new HTTPError(404)`, `new HTTPError(400, "bad %s", name)`, `new HTTPError(682, { reason: "Foo" })`,
 * `new HTTPError(410, "gone", { reason: "Gone Away" })`: a trailing plain object with only
 * `reason`/`cause` keys is taken as options, never as a format argument.
 *
 * Tornado: web.HTTPError(status_code=500, log_message=None, *args, reason=None).
 */
export class HTTPError<Code extends string = typeof WEB_ERROR_CODES.HTTPError> extends TornadoError<Code> {
  static override readonly code: string = WEB_ERROR_CODES.HTTPError;
  /** The HTTP status to answer with; default 500. */
  readonly statusCode: number;
  /** Message for the log (Python %-format string), never sent to the client. */
  readonly logMessage: string | undefined;
  /** Format arguments for `logMessage`. */
  readonly args: unknown[];
  /** The reason phrase; undefined means the standard one for statusCode. */
  readonly reason: string | undefined;

  constructor(statusCode = 500, logMessage?: string | HTTPErrorOptions, ...args: unknown[]) {
    let options: HTTPErrorOptions | undefined;
    if (isOptions(logMessage)) {
      options = logMessage;
      logMessage = undefined;
    } else if (args.length > 0 && isOptions(args[args.length - 1])) {
      options = args.pop() as HTTPErrorOptions;
    }
    if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 999) {
      throw new ArgumentTypeError(`HTTPError statusCode must be an integer from 100 to 999, got ${String(statusCode)}`);
    }
    super("", options?.cause === undefined ? undefined : { cause: options.cause });
    this.statusCode = statusCode;
    this.logMessage = logMessage as string | undefined;
    this.args = args;
    this.reason = options?.reason;
    this.message = this.toString();
  }

  /** The log message with its args applied. Tornado: HTTPError.get_message (6.5). */
  getMessage(): string | undefined {
    return this.logMessage === undefined ? undefined : percentFormat(this.logMessage, this.args);
  }

  /** `"HTTP 404: Not Found (message)"`, as Tornado's str(HTTPError). */
  override toString(): string {
    const reason = this.reason ?? responses[this.statusCode] ?? "Unknown";
    const message = this.getMessage();
    return message === undefined
      ? `HTTP ${this.statusCode}: ${reason}`
      : `HTTP ${this.statusCode}: ${reason} (${message})`;
  }
}

/**
 * A required argument was missing: answered 400, logged "Missing argument {argName}".
 * Tornado: web.MissingArgumentError (with arg_name).
 */
export class MissingArgumentError extends HTTPError<typeof WEB_ERROR_CODES.MissingArgumentError> {
  static override readonly code = WEB_ERROR_CODES.MissingArgumentError;
  readonly argName: string;

  constructor(argName: string) {
    super(400, `Missing argument ${argName}`);
    this.argName = argName;
  }
}

/**
 * Thrown to end the request without an error page: the handler calls `finish(...args)` with
 * whatever it wrote and set (status, headers). Tornado: web.Finish.
 */
export class Finish extends TornadoError<typeof WEB_ERROR_CODES.Finish> {
  static override readonly code = WEB_ERROR_CODES.Finish;
  /** Passed to finish(): at most one chunk. */
  readonly args: unknown[];

  constructor(...args: unknown[]) {
    super("Finish");
    this.args = args;
  }
}

/**
 * The response is in the wrong state for the call: write() or finish() after finish(),
 * redirect() or setStatus after the headers went out. Tornado raises RuntimeError/Exception.
 */
export class ResponseStateError extends TornadoError<typeof WEB_ERROR_CODES.ResponseStateError> {
  static override readonly code = WEB_ERROR_CODES.ResponseStateError;
}

/**
 * A header value with a control character (CR, LF, NUL...), which would allow header
 * injection. Tornado: ValueError("Unsafe header value ...").
 */
export class UnsafeHeaderValueError extends TornadoTypeError<typeof WEB_ERROR_CODES.UnsafeHeaderValueError> {
  static override readonly code = WEB_ERROR_CODES.UnsafeHeaderValueError;
}

/**
 * write() got something it cannot send: an array (refused, as Tornado refuses lists against
 * JSON hijacking), a number, null... Tornado: TypeError.
 */
export class WriteTypeError extends TornadoTypeError<typeof WEB_ERROR_CODES.WriteTypeError> {
  static override readonly code = WEB_ERROR_CODES.WriteTypeError;
}

/**
 * A handler method or prepare() returned something other than undefined or a Promise
 * (`get() { return "x" }`): answered 500 and logged, as Tornado's `await` of a non-awaitable
 * raises TypeError. Write the value with `this.write()` instead.
 */
export class HandlerReturnTypeError extends TornadoTypeError<typeof WEB_ERROR_CODES.HandlerReturnTypeError> {
  static override readonly code = WEB_ERROR_CODES.HandlerReturnTypeError;
}

/** A rule that cannot be used: bad pattern, mixed named and positional groups, bad target. */
export class RouteError extends TornadoTypeError<typeof WEB_ERROR_CODES.RouteError> {
  static override readonly code = WEB_ERROR_CODES.RouteError;
}

/** reverseUrl() with a name no rule has. Tornado: KeyError("%s not found in named urls"). */
export class UrlNotFoundError extends TornadoError<typeof WEB_ERROR_CODES.UrlNotFoundError> {
  static override readonly code = WEB_ERROR_CODES.UrlNotFoundError;
  readonly urlName: string;

  constructor(urlName: string) {
    super(`${urlName} not found in named urls`);
    this.urlName = urlName;
  }
}

/**
 * The pattern is too complex to reverse (e.g. `\d+` outside a group), or the argument count
 * is wrong. Tornado: ValueError("Cannot reverse url regex ...") / AssertionError.
 */
export class CannotReverseError extends TornadoError<typeof WEB_ERROR_CODES.CannotReverseError> {
  static override readonly code = WEB_ERROR_CODES.CannotReverseError;
}

/** A feature needs an Application setting that is not set. Tornado: require_setting's Exception. */
export class MissingSettingError extends TornadoError<typeof WEB_ERROR_CODES.MissingSettingError> {
  static override readonly code = WEB_ERROR_CODES.MissingSettingError;

  constructor(setting: string, feature: string) {
    super(`You must define the '${setting}' setting in your application to use ${feature}`);
  }
}

/**
 * A hook the subclass must define was not: render() of a UIModule, dataReceived() of a
 * handler with streamRequestBody. Tornado: NotImplementedError.
 */
export class NotImplementedError extends TornadoError<typeof WEB_ERROR_CODES.NotImplementedError> {
  static override readonly code = WEB_ERROR_CODES.NotImplementedError;
}

/**
 * UI module resources that cannot be used: setResources() with different resources for the
 * same template, or a rendered page without the `</head>` / `</body>` to put them before.
 * Tornado: the ValueError of TemplateModule.set_resources and of render().
 */
export class UIModuleError extends TornadoError<typeof WEB_ERROR_CODES.UIModuleError> {
  static override readonly code = WEB_ERROR_CODES.UIModuleError;
}

/**
 * A cookie name, value or attribute that cannot be written into a Set-Cookie header
 * (control characters, space, `;`, DEL, or characters above U+00FF in a value).
 * Tornado: http.cookies.CookieError / ValueError("Invalid cookie ...") from set_cookie.
 */
export class CookieError extends TornadoError<typeof WEB_ERROR_CODES.CookieError> {
  static override readonly code = WEB_ERROR_CODES.CookieError;
  /** Which part was refused: "name", "value", "domain", "path", "samesite", "expires", "maxAge". */
  readonly attribute: string;

  constructor(attribute: string, message: string) {
    super(message);
    this.attribute = attribute;
  }
}

/**
 * A signed value cannot be created or decoded with these arguments: an unsupported version
 * or minVersion, a key map without `keyVersion`, version 1 with a key map, a missing secret.
 * (Bad *input* to decodeSignedValue never throws; it returns null.)
 * Tornado: the ValueError / AssertionError of create_signed_value and decode_signed_value.
 */
export class SignedValueError extends TornadoError<typeof WEB_ERROR_CODES.SignedValueError> {
  static override readonly code = WEB_ERROR_CODES.SignedValueError;
}

/**
 * A locale operation was misused: Locale.get with an unsupported code, a plural translation
 * without a count, an unreadable translation directory.
 * Tornado: the AssertionError of Locale.get and translate.
 */
export class LocaleError extends TornadoError<typeof WEB_ERROR_CODES.LocaleError> {
  static override readonly code = WEB_ERROR_CODES.LocaleError;
}

/**
 * What a Node request listener behind NodeContainer asked for that the container cannot do:
 * writing to the socket directly, or an informational response (writeProcessing,
 * writeEarlyHints). Tornado has no counterpart (WSGIContainer's apps have no socket).
 */
export class NodeContainerError extends TornadoError<typeof WEB_ERROR_CODES.NodeContainerError> {
  static override readonly code = WEB_ERROR_CODES.NodeContainerError;
}
