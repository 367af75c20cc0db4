/**
 * One request's cookies: those the request sent, those the response will set, signed values
 * made with the application's secret, and the request's XSRF token. RequestHandler holds one
 * (made on the first cookie call) and its cookie methods are one-line calls into it.
 * Tornado: the cookie, signed-cookie and XSRF methods of RequestHandler.
 */

import type { HTTPHeaders } from "@tornado/httputil";
import { HTTPError, MissingSettingError } from "../errors";
import { OutgoingCookies, type ClearCookieOptions } from "./outgoing-cookies";
import type { SetCookieOptions } from "./set-cookie";
import {
  createSignedValue,
  decodeSignedValue,
  getSignatureKeyVersion,
  type SignedValueSecret,
} from "./signed-value";
import { encodeXsrfToken, rawXsrfToken, xsrfCheckFailure } from "./xsrf-token";

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

/** The application settings a cookie jar reads (ApplicationSettings documents them). */
export interface CookieSettings {
  readonly cookieSecret?: SignedValueSecret;
  readonly keyVersion?: number;
  readonly xsrfCookieName?: string;
  readonly xsrfCookieVersion?: number;
  readonly xsrfCookieKwargs?: SetCookieOptions;
}

/** The request the jar reads cookies from (HTTPServerRequest parses its Cookie header once). */
export interface CookieSource {
  readonly cookies: Map<string, string>;
}

/** Who is logged in, for the XSRF cookie's lifetime. */
export interface CurrentUserSource {
  readonly currentUser: unknown;
}

function secretOf(settings: CookieSettings): SignedValueSecret {
  const secret = settings.cookieSecret;
  if (!secret) throw new MissingSettingError("cookieSecret", "secure cookies");
  return secret;
}

/** Incoming and outgoing cookies of one request. */
export class CookieJar {
  readonly #request: CookieSource;
  #outgoing: OutgoingCookies | null = null;
  #xsrfRaw: ReturnType<typeof rawXsrfToken> | null = null;
  #xsrfToken: string | null = null;

  constructor(request: CookieSource) {
    this.#request = request;
  }

  /** The request's cookies (name -> value). Tornado: RequestHandler.cookies. */
  get incoming(): Map<string, string> {
    return this.#request.cookies;
  }

  /** A request cookie, or `defaultValue`; never a cookie set in this response. Tornado: get_cookie. */
  get(name: string, defaultValue?: string): string | undefined {
    return this.#request.cookies.get(name) ?? defaultValue;
  }

  /** Records a cookie for the response, validated now (CookieError). Tornado: set_cookie. */
  set(name: string, value: string | Buffer, options?: SetCookieOptions): void {
    (this.#outgoing ??= new OutgoingCookies()).set(name, value, options);
  }

  /** Deletes a cookie in the browser. Tornado: clear_cookie. */
  clear(name: string, options?: ClearCookieOptions): void {
    (this.#outgoing ??= new OutgoingCookies()).clear(name, options);
  }

  /** Deletes every cookie the request sent. Tornado: clear_all_cookies. */
  clearAll(options?: ClearCookieOptions): void {
    for (const name of this.#request.cookies.keys()) this.clear(name, options);
  }

  /** Adds a Set-Cookie header per cookie set; called as a header block is completed. */
  addSetCookieHeaders(headers: HTTPHeaders): void {
    const outgoing = this.#outgoing;
    if (outgoing === null) return;
    for (const header of outgoing.headerValues()) headers.add("Set-Cookie", header);
  }

  /** A value signed with the `cookieSecret` setting (and `keyVersion`). Tornado: create_signed_value. */
  createSignedValue(settings: CookieSettings, name: string, value: string | Buffer, version?: number): string {
    const secret = secretOf(settings);
    let keyVersion: number | undefined;
    if (typeof secret !== "string" && !Buffer.isBuffer(secret)) {
      const setting = settings.keyVersion;
      if (setting === undefined || setting === null) throw new MissingSettingError("keyVersion", "a map of cookie secrets");
      keyVersion = setting;
    }
    return createSignedValue(secret, name, value, { version, keyVersion });
  }

  /** Signs and sets a cookie (expiresDays default 30). Tornado: set_signed_cookie. */
  setSigned(settings: CookieSettings, name: string, value: string | Buffer, options: SetSignedCookieOptions = {}): void {
    const { version, ...cookieOptions } = options;
    cookieOptions.expiresDays ??= 30;
    this.set(name, this.createSignedValue(settings, name, value, version), cookieOptions);
  }

  /** The verified bytes of a signed cookie, or null. `value` replaces the request's cookie. Tornado: get_signed_cookie. */
  getSigned(settings: CookieSettings, name: string, value?: string | null, options: GetSignedCookieOptions = {}): Buffer | null {
    const secret = secretOf(settings);
    return decodeSignedValue(secret, name, value ?? this.get(name), options);
  }

  /** The key version of a signed cookie, or null. Tornado: get_signed_cookie_key_version. */
  getSignedKeyVersion(settings: CookieSettings, name: string, value?: string | null): number | null {
    secretOf(settings);
    const text = value ?? this.get(name);
    return text ? getSignatureKeyVersion(text) : null;
  }

  #rawXsrf(settings: CookieSettings): ReturnType<typeof rawXsrfToken> {
    return (this.#xsrfRaw ??= rawXsrfToken(this.get(settings.xsrfCookieName ?? "_xsrf")));
  }

  /**
   * The XSRF token for this request (masked anew for each request), setting the cookie when
   * the request had no valid one (30 days when a user is logged in). Tornado: xsrf_token.
   */
  xsrfToken(settings: CookieSettings, user: CurrentUserSource): string {
    if (this.#xsrfToken !== null) return this.#xsrfToken;
    const raw = this.#rawXsrf(settings);
    const token = encodeXsrfToken(raw.token, raw.timestamp, { version: settings.xsrfCookieVersion ?? 2 });
    this.#xsrfToken = token;
    if (!raw.fromCookie) {
      const options: SetCookieOptions = { ...(settings.xsrfCookieKwargs ?? {}) };
      if (options.expiresDays === undefined && user.currentUser) options.expiresDays = 30;
      this.set(settings.xsrfCookieName ?? "_xsrf", token, options);
    }
    return token;
  }

  /**
   * HTTPError(403) unless `submitted` (the `_xsrf` argument or X-Xsrftoken / X-Csrftoken
   * header) carries the token of the XSRF cookie. Tornado: check_xsrf_cookie.
   */
  checkXsrf(settings: CookieSettings, submitted: string | null | undefined): void {
    const failure = xsrfCheckFailure(submitted, this.#rawXsrf(settings).token);
    if (failure !== null) throw new HTTPError(403, failure);
  }
}
