/**
 * The cookies a response will set, one per name in the order set (setting a name again
 * replaces the earlier cookie, attributes included). Tornado: RequestHandler._new_cookie.
 */

import { ArgumentTypeError } from "@tornado/util";
import { formatSetCookie, validateCookie, type SetCookieOptions } from "./set-cookie";

interface PendingCookie {
  value: string;
  options: SetCookieOptions;
  /** Milliseconds since the epoch when set (for expiresDays). */
  setAt: number;
}

/** Options of clearCookie: everything but the expiry, which clearing decides. */
export type ClearCookieOptions = Omit<SetCookieOptions, "expires" | "maxAge">;

export class OutgoingCookies {
  #cookies = new Map<string, PendingCookie>();

  /** Records a cookie, validating it now (CookieError) rather than when headers are written. */
  set(name: string, value: string | Buffer, options: SetCookieOptions = {}): void {
    const text = Buffer.isBuffer(value) ? value.toString("utf8") : value;
    validateCookie(name, text, options);
    this.#cookies.delete(name);
    this.#cookies.set(name, { value: text, options: { ...options }, setAt: Date.now() });
  }

  /**
   * Deletes the cookie in the browser: value "" expiring a year ago. `expires` and `maxAge`
   * are refused (TypeError), as in Tornado; `domain` and `path` must match the cookie's.
   * Tornado: RequestHandler.clear_cookie.
   */
  clear(name: string, options: ClearCookieOptions = {}): void {
    for (const excluded of ["expires", "maxAge"]) {
      if (excluded in options) throw new ArgumentTypeError(`clearCookie() got an unexpected option '${excluded}'`);
    }
    this.set(name, "", { ...options, expires: new Date(Date.now() - 365 * 86400 * 1000) });
  }

  has(name: string): boolean {
    return this.#cookies.has(name);
  }

  get size(): number {
    return this.#cookies.size;
  }

  /** The Set-Cookie header values, in the order the cookies were (last) set. */
  headerValues(): string[] {
    const out: string[] = [];
    for (const [name, cookie] of this.#cookies) out.push(formatSetCookie(name, cookie.value, cookie.options, cookie.setAt));
    return out;
  }
}
