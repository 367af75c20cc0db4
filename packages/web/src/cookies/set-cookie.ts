/**
 * Set-Cookie values written exactly as Python's `http.cookies` writes them (Morsel.OutputString),
 * so that cookies, signed ones included, cross between Tornado and this port unchanged:
 * attributes sorted by lowercase key, `expires` in lowercase, values quoted with octal escapes.
 * (Reading the Cookie header is @tornado/httputil's parseCookie.)
 */

import { formatTimestamp } from "@tornado/httputil";
import { CookieError } from "../errors";

/** Options of setCookie / formatSetCookie. Tornado: RequestHandler.set_cookie's keywords. */
export interface SetCookieOptions {
  /** `Domain` attribute; default none. */
  domain?: string;
  /** `expires` attribute: a Date or seconds since the epoch. Wins over `expiresDays`. */
  expires?: Date | number;
  /** `Path` attribute; default "/". An empty string leaves it out. */
  path?: string;
  /** Days from now for `expires` (fractional allowed), used only when `expires` is not set. */
  expiresDays?: number;
  /** `Max-Age` in seconds; 0 or absent leaves it out (as Tornado: falsy). */
  maxAge?: number;
  /** `HttpOnly` flag; default false. */
  httpOnly?: boolean;
  /** `Secure` flag; default false. */
  secure?: boolean;
  /** `SameSite` attribute ("Strict", "Lax", "None"); default none. */
  sameSite?: string;
}

// Python http.cookies: _LegalChars and _UnescapedChars.
const LEGAL = new Uint8Array(256);
const UNESCAPED = new Uint8Array(256);
for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-.^_`|~:") {
  LEGAL[ch.charCodeAt(0)] = 1;
  UNESCAPED[ch.charCodeAt(0)] = 1;
}
for (const ch of " ()/<=>?@[]{}") UNESCAPED[ch.charCodeAt(0)] = 1;

function isLegalKey(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 255 || LEGAL[code] === 0) return false;
  }
  return true;
}

/**
 * Quotes a cookie value as Python's `http.cookies._quote` does: unchanged when every
 * character is legal, otherwise wrapped in `"…"` with `"` and `\` backslash-escaped and every
 * other byte outside the unescaped set written as `\ooo` octal (`;` -> `\073`, `é` -> `\351`).
 * Characters above U+00FF pass through, as in Python.
 */
export function quoteCookieValue(value: string): string {
  if (isLegalKey(value)) return value;
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x22) out += '\\"';
    else if (code === 0x5c) out += "\\\\";
    else if (code > 255 || UNESCAPED[code] === 1) out += value[i];
    else out += "\\" + code.toString(8).padStart(3, "0");
  }
  return out + '"';
}

// Tornado 6.5.5: attributes may not hold control characters, space, ";" or DEL.
const UNSAFE_ATTRIBUTE = /[\x00-\x20\x3b\x7f]/;
// Tornado's legacy value check (control characters and space).
const UNSAFE_VALUE = /[\x00-\x20]/;

function describe(text: string): string {
  return JSON.stringify(text);
}

/**
 * Validates a cookie's name, value and attributes; throws CookieError naming the bad part.
 * Tornado: the checks at the top of RequestHandler.set_cookie plus SimpleCookie's key check.
 */
export function validateCookie(name: string, value: string, options: SetCookieOptions = {}): void {
  if (typeof name !== "string") throw new CookieError("name", `cookie name must be a string, got ${typeof name}`);
  if (typeof value !== "string") {
    throw new CookieError("value", `value of cookie ${describe(name)} must be a string or a Buffer, got ${typeof value}`);
  }
  if (UNSAFE_VALUE.test(value)) {
    throw new CookieError(
      "value",
      `Invalid cookie ${describe(name)}: ${describe(value)} (control characters and spaces are not allowed in values)`,
    );
  }
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) > 255) {
      throw new CookieError(
        "value",
        `Invalid cookie ${describe(name)}: ${describe(value)} holds characters above U+00FF, which a header cannot carry; encode the value first (e.g. signed, base64 or URL-escaped)`,
      );
    }
  }
  const attributes: [string, string | undefined][] = [
    ["name", name],
    ["domain", options.domain],
    ["path", options.path],
    ["samesite", options.sameSite],
  ];
  for (const [attribute, text] of attributes) {
    if (text === undefined || text === null) continue;
    if (typeof text !== "string") {
      throw new CookieError(attribute, `cookie attribute ${attribute} must be a string, got ${typeof text}`);
    }
    if (UNSAFE_ATTRIBUTE.test(text)) {
      throw new CookieError(attribute, `Invalid cookie attribute ${attribute}=${describe(text)} for cookie ${describe(name)}`);
    }
  }
  if (!isLegalKey(name)) {
    throw new CookieError(
      "name",
      `Invalid cookie attribute name=${describe(name)} for cookie ${describe(name)}: names are made of letters, digits and !#$%&'*+-.^_\`|~:`,
    );
  }
  if (options.maxAge !== undefined && !Number.isFinite(options.maxAge)) {
    throw new CookieError("maxAge", `maxAge must be a finite number of seconds, got ${String(options.maxAge)}`);
  }
  if (options.expiresDays !== undefined && !Number.isFinite(options.expiresDays)) {
    throw new CookieError("expiresDays", `expiresDays must be a finite number of days, got ${String(options.expiresDays)}`);
  }
  const expires = options.expires;
  if (expires !== undefined && expires !== null) {
    const ok = expires instanceof Date ? !Number.isNaN(expires.getTime()) : Number.isFinite(expires);
    if (!ok) throw new CookieError("expires", `expires must be a Date or seconds since the epoch, got ${String(expires)}`);
  }
}

/**
 * One Set-Cookie header value, attribute order and spelling as Python's Morsel.OutputString:
 * `n=v; Domain=…; expires=…; HttpOnly; Max-Age=…; Path=…; SameSite=…; Secure`.
 * Validates first (CookieError). `now` (milliseconds) is for `expiresDays`; default Date.now().
 * Tornado: RequestHandler.set_cookie + Morsel.OutputString.
 */
export function formatSetCookie(
  name: string,
  value: string | Buffer,
  options: SetCookieOptions = {},
  now: number = Date.now(),
): string {
  const text = Buffer.isBuffer(value) ? value.toString("utf8") : value;
  validateCookie(name, text, options);
  const parts = [`${name}=${quoteCookieValue(text)}`];
  if (options.domain) parts.push(`Domain=${options.domain}`);
  let expires = options.expires;
  if (!expires && options.expiresDays !== undefined) {
    expires = new Date(now + options.expiresDays * 86400 * 1000);
  }
  if (expires) parts.push(`expires=${formatTimestamp(expires)}`);
  if (options.httpOnly) parts.push("HttpOnly");
  if (options.maxAge) parts.push(`Max-Age=${String(options.maxAge)}`);
  const path = options.path ?? "/";
  if (path) parts.push(`Path=${path}`);
  if (options.sameSite) parts.push(`SameSite=${options.sameSite}`);
  if (options.secure) parts.push("Secure");
  return parts.join("; ");
}
