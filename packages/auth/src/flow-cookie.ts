/**
 * The cookies a login keeps between the redirect to the provider and the callback. The flow
 * cookie holds state, nonce, PKCE verifier and where to return, as JSON signed with the
 * `cookieSecret` setting, HttpOnly, SameSite=Lax (sent on the provider's top-level redirect
 * back, not on cross-site subrequests), Secure over https, expiring after a few minutes, and
 * cleared the moment the callback reads it, so that a callback URL works once. OAuth 1.0a's
 * request-token cookie is kept the same way (or unsigned, as Tornado keeps it).
 */

import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { HTTPError, type RequestHandler } from "@tornado/web";
import { FlowCookieMissingError, StateMismatchError, type AuthStep } from "./errors";

/** What one login remembers between authorizeRedirect and the callback. */
export interface AuthFlow {
  /** The `state` sent to the provider (RFC 6749 §10.12). */
  state: string;
  /** The OpenID Connect `nonce` bound into the id_token. */
  nonce?: string;
  /** The PKCE code_verifier (RFC 7636). */
  codeVerifier?: string;
  /** The local path to return to after the login. */
  returnTo?: string;
}

/** A login cookie's name, lifetime and whether it is signed. */
export interface AuthCookieOptions {
  name: string;
  /** Seconds the cookie stays valid. */
  maxAge: number;
  /** Signed with cookieSecret (default); false writes Tornado's plain cookie. */
  signed?: boolean;
}

/** 32 random bytes, base64url: a state, a nonce or a PKCE verifier (43 characters). */
export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

/** The PKCE S256 code_challenge of a verifier (RFC 7636 §4.2). */
export function pkceChallenge(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

/** Compares two secrets in constant time; throws StateMismatchError when they differ. */
export function checkSameSecret(received: string | undefined, expected: string, message: string, step: AuthStep): void {
  const a = Buffer.from(received ?? "", "utf8");
  const b = Buffer.from(expected, "utf8");
  if (received === undefined || a.length !== b.length || !timingSafeEqual(a, b)) throw new StateMismatchError(message, { step });
}

/**
 * `returnTo` as a path on this site: a local path is kept, an absolute URL of this very
 * origin becomes its path, anything else (another host, `//host`, `/\host`) answers 400, so
 * that a `?next=` parameter cannot turn the login into an open redirect.
 */
export function localReturnTo(handler: RequestHandler, returnTo: string): string {
  if (/^\/(?![/\\])/.test(returnTo) && !/[\x00-\x1f\x7f]/.test(returnTo)) return returnTo;
  let url: URL | undefined;
  try {
    url = new URL(returnTo);
  } catch {
    url = undefined;
  }
  const origin = `${handler.request.protocol}://${handler.request.host}`;
  if (url !== undefined && url.origin === new URL(origin).origin) return `${url.pathname}${url.search}${url.hash}`;
  throw new HTTPError(400, "returnTo must be a path on this site, got %r", returnTo);
}

/** Writes a login cookie (replacing any earlier one of the same name). */
export function writeAuthCookie(handler: RequestHandler, options: AuthCookieOptions, value: string): void {
  if (options.signed === false) {
    handler.setCookie(options.name, value);
    return;
  }
  handler.setSignedCookie(options.name, value, {
    path: "/",
    expiresDays: options.maxAge / 86400,
    maxAge: options.maxAge,
    httpOnly: true,
    sameSite: "Lax",
    secure: handler.request.protocol === "https",
  });
}

/**
 * Reads and clears a login cookie. Throws FlowCookieMissingError saying why it is not there
 * (`missing` when the browser did not send it; expired or forged when the signature fails).
 */
export function takeAuthCookie(handler: RequestHandler, options: AuthCookieOptions, missing: string, step: AuthStep): string {
  const raw = handler.getCookie(options.name);
  if (raw === undefined || raw === "") throw new FlowCookieMissingError(missing, { step });
  handler.clearCookie(options.name, { path: "/" });
  if (options.signed === false) return raw;
  const value = handler.getSignedCookie(options.name, raw, { maxAgeDays: options.maxAge / 86400 });
  if (value === null) {
    throw new FlowCookieMissingError(
      `the ${options.name} cookie is older than ${options.maxAge} seconds or not signed with this cookieSecret`,
      { step },
    );
  }
  return value;
}

/** Writes the flow cookie. */
export function writeFlowCookie(handler: RequestHandler, options: AuthCookieOptions, flow: AuthFlow): void {
  writeAuthCookie(handler, options, JSON.stringify(flow));
}

/** Reads and clears the flow cookie; FlowCookieMissingError when it is missing, stale or forged. */
export function takeFlowCookie(handler: RequestHandler, options: AuthCookieOptions): AuthFlow {
  const text = takeAuthCookie(
    handler,
    options,
    `the callback came without the ${options.name} cookie: the login did not start in this browser, ` +
      "an earlier callback already used it, or the browser did not send it back " +
      "(a host name other than the one that started the login, or cookies blocked)",
    "callback",
  );
  let flow: unknown;
  try {
    flow = JSON.parse(text);
  } catch {
    flow = undefined;
  }
  if (typeof flow !== "object" || flow === null || typeof (flow as AuthFlow).state !== "string") {
    throw new FlowCookieMissingError(`the ${options.name} cookie does not hold a login flow`, { step: "callback" });
  }
  return flow as AuthFlow;
}
