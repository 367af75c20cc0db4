/**
 * The cookie, signed-cookie and XSRF behaviour of RequestHandler, kept out of
 * request-handler.ts: RequestHandler's getCookie, setSignedCookie, xsrfToken... are one-line
 * calls into these functions. Per-request state (the outgoing cookies, the XSRF token) lives
 * in a WeakMap keyed by the handler. Tornado: the cookie and XSRF methods of RequestHandler.
 */

import type { HTTPHeaders } from "@tornado/httputil";
import { HTTPError, MissingSettingError } from "./errors";
import { OutgoingCookies, type ClearCookieOptions } from "./outgoing-cookies";
import type { SetCookieOptions } from "./set-cookie";
import {
  createSignedValue,
  decodeSignedValue,
  getSignatureKeyVersion,
  type SignedValueSecret,
} from "./signed-value";
import { encodeXsrfToken, rawXsrfToken, xsrfCheckFailure, xsrfFormHtml } from "./xsrf-token";
import type { RequestHandler } from "./request-handler";

/** Options of setSignedCookie: Set-Cookie options (expiresDays defaults to 30) and the format. */
export interface SetSignedCookieOptions extends SetCookieOptions {
  /** Signed value format 1 or 2; default 2. */
  version?: number;
}

/** Options of getSignedCookie. */
export interface GetSignedCookieOptions {
  /** Days after signing that the value expires (fractional allowed); default 31. */
  maxAgeDays?: number;
  /** Oldest format accepted, 1 or 2; default 1. */
  minVersion?: number;
}

interface CookieState {
  outgoing: OutgoingCookies;
  xsrfRaw?: ReturnType<typeof rawXsrfToken>;
  xsrfToken?: string;
}

const STATE = new WeakMap<RequestHandler, CookieState>();

function state(handler: RequestHandler): CookieState {
  let value = STATE.get(handler);
  if (value === undefined) {
    value = { outgoing: new OutgoingCookies() };
    STATE.set(handler, value);
  }
  return value;
}

/** Tornado: RequestHandler.get_cookie. */
export function getCookie(handler: RequestHandler, name: string, defaultValue?: string): string | undefined {
  return handler.request.cookies.get(name) ?? defaultValue;
}

/** Tornado: RequestHandler.set_cookie. */
export function setCookie(handler: RequestHandler, name: string, value: string | Buffer, options?: SetCookieOptions): void {
  state(handler).outgoing.set(name, value, options);
}

/** Tornado: RequestHandler.clear_cookie. */
export function clearCookie(handler: RequestHandler, name: string, options?: ClearCookieOptions): void {
  state(handler).outgoing.clear(name, options);
}

/** Tornado: RequestHandler.clear_all_cookies. */
export function clearAllCookies(handler: RequestHandler, options?: ClearCookieOptions): void {
  for (const name of handler.request.cookies.keys()) clearCookie(handler, name, options);
}

/** Adds the Set-Cookie headers; called once as the headers are written. */
export function addSetCookieHeaders(handler: RequestHandler, headers: HTTPHeaders): void {
  const value = STATE.get(handler);
  if (value === undefined) return;
  for (const header of value.outgoing.headerValues()) headers.add("Set-Cookie", header);
}

function cookieSecret(handler: RequestHandler): SignedValueSecret {
  handler.requireSetting("cookieSecret", "secure cookies");
  return handler.settings.cookieSecret as SignedValueSecret;
}

/** Tornado: RequestHandler.create_signed_value. */
export function createHandlerSignedValue(
  handler: RequestHandler,
  name: string,
  value: string | Buffer,
  version?: number,
): string {
  const secret = cookieSecret(handler);
  let keyVersion: number | undefined;
  if (typeof secret !== "string" && !Buffer.isBuffer(secret)) {
    const setting = handler.settings.keyVersion;
    if (setting === undefined || setting === null) throw new MissingSettingError("keyVersion", "a map of cookie secrets");
    keyVersion = setting as number;
  }
  return createSignedValue(secret, name, value, { version, keyVersion });
}

/** Tornado: RequestHandler.set_signed_cookie (alias set_secure_cookie). */
export function setSignedCookie(
  handler: RequestHandler,
  name: string,
  value: string | Buffer,
  options: SetSignedCookieOptions = {},
): void {
  const { version, ...cookieOptions } = options;
  cookieOptions.expiresDays ??= 30;
  setCookie(handler, name, createHandlerSignedValue(handler, name, value, version), cookieOptions);
}

/** Tornado: RequestHandler.get_signed_cookie, returning bytes. */
export function getSignedCookieBuffer(
  handler: RequestHandler,
  name: string,
  value?: string | null,
  options: GetSignedCookieOptions = {},
): Buffer | null {
  const secret = cookieSecret(handler);
  const text = value ?? getCookie(handler, name);
  return decodeSignedValue(secret, name, text, options);
}

/** Tornado: RequestHandler.get_signed_cookie_key_version. */
export function getSignedCookieKeyVersion(handler: RequestHandler, name: string, value?: string | null): number | null {
  cookieSecret(handler);
  const text = value ?? getCookie(handler, name);
  return text ? getSignatureKeyVersion(text) : null;
}

function xsrfCookieName(handler: RequestHandler): string {
  return (handler.settings.xsrfCookieName as string | undefined) ?? "_xsrf";
}

function rawXsrf(handler: RequestHandler): ReturnType<typeof rawXsrfToken> {
  const current = state(handler);
  current.xsrfRaw ??= rawXsrfToken(getCookie(handler, xsrfCookieName(handler)));
  return current.xsrfRaw;
}

/**
 * The XSRF token for this request (masked anew for each request), setting the cookie when
 * the request had no valid one. Tornado: RequestHandler.xsrf_token.
 */
export function xsrfToken(handler: RequestHandler): string {
  const current = state(handler);
  if (current.xsrfToken !== undefined) return current.xsrfToken;
  const raw = rawXsrf(handler);
  const version = (handler.settings.xsrfCookieVersion as number | undefined) ?? 2;
  const token = encodeXsrfToken(raw.token, raw.timestamp, { version });
  current.xsrfToken = token;
  if (!raw.fromCookie) {
    const options: SetCookieOptions = { ...((handler.settings.xsrfCookieKwargs as SetCookieOptions | undefined) ?? {}) };
    if (options.expiresDays === undefined && handler.currentUser) options.expiresDays = 30;
    setCookie(handler, xsrfCookieName(handler), token, options);
  }
  return token;
}

/**
 * 403 unless the `_xsrf` argument (or the X-Xsrftoken / X-Csrftoken header) carries the
 * token of the XSRF cookie. Tornado: RequestHandler.check_xsrf_cookie.
 */
export function checkXsrfCookie(handler: RequestHandler): void {
  const submitted =
    handler.getArgument("_xsrf", null) ||
    handler.request.headers.get("X-Xsrftoken") ||
    handler.request.headers.get("X-Csrftoken");
  const failure = xsrfCheckFailure(submitted, rawXsrf(handler).token);
  if (failure !== null) throw new HTTPError(403, failure);
}

/** Tornado: RequestHandler.xsrf_form_html. */
export function handlerXsrfFormHtml(handler: RequestHandler): string {
  return xsrfFormHtml(xsrfToken(handler));
}
