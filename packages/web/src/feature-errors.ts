/**
 * Errors of @tornado/web's cookie, signed-value, locale and static-file features (the core's
 * own errors, HTTPError and friends, live in errors.ts). Each carries a stable `code` and is
 * branded for `instanceof` across copies of the package.
 */

import { TornadoError } from "@tornado/util";

/** Error codes of the cookie, signed-value and locale features, stable across releases. */
export const WEB_FEATURE_ERROR_CODES = {
  CookieError: "TORNADO_ERR_WEB_COOKIE_INVALID",
  SignedValueError: "TORNADO_ERR_WEB_SIGNED_VALUE",
  LocaleError: "TORNADO_ERR_WEB_LOCALE",
} as const;

/**
 * A cookie name, value or attribute that cannot be written into a Set-Cookie header
 * (control characters, space, `;`, DEL, or characters above U+00FF in a value).
 * Tornado: http.cookies.CookieError / ValueError("Invalid cookie ...") from set_cookie.
 */
export class CookieError extends TornadoError<typeof WEB_FEATURE_ERROR_CODES.CookieError> {
  static override readonly code = WEB_FEATURE_ERROR_CODES.CookieError;
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
export class SignedValueError extends TornadoError<typeof WEB_FEATURE_ERROR_CODES.SignedValueError> {
  static override readonly code = WEB_FEATURE_ERROR_CODES.SignedValueError;
}

/**
 * A locale operation was misused: Locale.get with an unsupported code, a plural translation
 * without a count, an unreadable translation directory.
 * Tornado: the AssertionError of Locale.get and translate.
 */
export class LocaleError extends TornadoError<typeof WEB_FEATURE_ERROR_CODES.LocaleError> {
  static override readonly code = WEB_FEATURE_ERROR_CODES.LocaleError;
}
