/**
 * OAuthMixin: OAuth 1.0 and 1.0a (RFC 5849) on a RequestHandler. Tornado: auth.OAuthMixin.
 * Beyond Tornado, and on by default: the request-token cookie is signed, HttpOnly,
 * SameSite=Lax and short-lived (Tornado's is a plain cookie anyone can forge).
 */

import { randomBytes } from "node:crypto";
import type { AsyncHTTPClient, HTTPResponse } from "@tornado/httpclient";
import { parseQsBytes, urlConcat } from "@tornado/httputil";
import type { RequestHandler } from "@tornado/web";
import { defaultAuthHttpClient } from "./auth-http-client";
import type { AuthLogin, AuthUser } from "./auth-login";
import {
  AuthConfigError,
  AuthorizationDeniedError,
  CallbackInvalidError,
  FlowCookieMissingError,
  TokenExchangeError,
  UserinfoError,
  type AuthStep,
} from "./errors";
import { checkSameSecret, takeAuthCookie, writeAuthCookie, type AuthCookieOptions } from "./flow-cookie";
import type { MixinArguments, RequestHandlerBase } from "./handler-base";
import { oauthSignature, type OAuthParameters, type OAuthToken, type OAuthVersion } from "./oauth1-signature";
import { fetchFromProvider, providerText } from "./provider-response";

/** Options of OAuthMixin.authorizeRedirect. Tornado: authorize_redirect's keywords. */
export interface OAuthAuthorizeOptions {
  /** Where the provider sends the user back (joined to this URL); "oob" writes the URL instead of redirecting. */
  callbackUri?: string;
  /** More parameters for the request-token request (1.0a). */
  extraParams?: Record<string, string>;
  /** Default getAuthHttpClient(). */
  httpClient?: AsyncHTTPClient;
}

/** A user as OAuthMixin.getAuthenticatedUser returns it: the profile plus `access_token`. */
export type OAuthUser = AuthUser & { access_token: OAuthToken };

/** Tornado's cookie name for the request token. */
const REQUEST_TOKEN_COOKIE = "_oauth_request_token";

/** What OAuthMixin adds to a handler class: the type of `this` in its subclasses. */
export declare abstract class OAuthMembers {
  constructor(...args: MixinArguments);
  /** Tornado: _OAUTH_REQUEST_TOKEN_URL. */
  abstract OAUTH_REQUEST_TOKEN_URL: string;
  /** Tornado: _OAUTH_ACCESS_TOKEN_URL. */
  abstract OAUTH_ACCESS_TOKEN_URL: string;
  /** Tornado: _OAUTH_AUTHORIZE_URL. */
  abstract OAUTH_AUTHORIZE_URL: string;
  /** "1.0a" (default) or "1.0". Tornado: _OAUTH_VERSION. */
  OAUTH_VERSION: OAuthVersion;
  /** The provider takes no callback URL (it is registered with it). Default false. Tornado: _OAUTH_NO_CALLBACKS. */
  OAUTH_NO_CALLBACKS: boolean;
  /**
   * Sign the request-token cookie with cookieSecret and keep it HttpOnly, SameSite=Lax,
   * AUTH_FLOW_MAX_AGE seconds. false: Tornado's plain cookie. Default true. Beyond Tornado.
   */
  OAUTH_SIGNED_COOKIE: boolean;
  /** Seconds a started login stays valid (the signed cookie's lifetime), default 600. */
  AUTH_FLOW_MAX_AGE: number;
  /** The client credentials `{ key, secret }`. Tornado: _oauth_consumer_token. */
  abstract oauthConsumerToken(): OAuthToken;
  /**
   * The user of an access token (a profile request); a falsy answer fails the login.
   * Tornado: _oauth_get_user_future.
   */
  abstract oauthGetUserFuture(accessToken: OAuthToken): Promise<AuthUser | null | undefined>;
  /**
   * Gets a request token, keeps it in the `_oauth_request_token` cookie and redirects to
   * OAUTH_AUTHORIZE_URL. Tornado: OAuthMixin.authorize_redirect.
   */
  authorizeRedirect(options?: OAuthAuthorizeOptions): Promise<void>;
  /**
   * On the callback: checks `oauth_token` against the cookie (cleared), gets the access
   * token (with `oauth_verifier`), and returns oauthGetUserFuture's user with `access_token`.
   * A `denied` callback (the user cancelled) is AuthorizationDeniedError.
   * Tornado: OAuthMixin.get_authenticated_user.
   */
  getAuthenticatedUser(options?: { httpClient?: AsyncHTTPClient }): Promise<OAuthUser>;
  /** The uniform result of getAuthenticatedUser: `{ user, tokens }`. Beyond Tornado. */
  getAuthenticatedLogin(options?: { httpClient?: AsyncHTTPClient }): Promise<AuthLogin>;
  /** The signed request-token URL. Tornado: _oauth_request_token_url. */
  oauthRequestTokenUrl(options?: { callbackUri?: string; extraParams?: Record<string, string> }): string;
  /** The signed access-token URL for a request token (with its `verifier`). Tornado: _oauth_access_token_url. */
  oauthAccessTokenUrl(requestToken: OAuthToken): string;
  /**
   * The oauth_* parameters, signature included, of a request to `url` with `parameters`
   * (every query and form argument it will send). Tornado: _oauth_request_parameters.
   */
  oauthRequestParameters(
    url: string,
    accessToken: OAuthToken,
    parameters?: Record<string, string>,
    method?: string,
  ): Record<string, string>;
  /** The client for the provider's endpoints; override to use another. Tornado: get_auth_http_client. */
  getAuthHttpClient(): AsyncHTTPClient;
}

/** The handler as the request-token helpers below use it. */
type OAuthHandler = RequestHandler & OAuthMembers;

function requestTokenCookie(handler: OAuthHandler): AuthCookieOptions {
  return { name: REQUEST_TOKEN_COOKIE, maxAge: handler.AUTH_FLOW_MAX_AGE, signed: handler.OAUTH_SIGNED_COOKIE };
}

/** oauth_consumer_key, signature method, timestamp, nonce and version, as Tornado sends them. */
function baseParameters(consumerToken: OAuthToken): Record<string, string> {
  return {
    oauth_consumer_key: consumerToken.key,
    oauth_signature_method: "HMAC-SHA1",
    oauth_timestamp: String(Math.floor(Date.now() / 1000)),
    oauth_nonce: randomBytes(16).toString("hex"),
    oauth_version: "1.0",
  };
}

/** `url?args` with args encoded as Python's urlencode. */
function withQuery(url: string, args: OAuthParameters): string {
  return urlConcat(url, Array.isArray(args) ? args : Object.entries(args));
}

/** A token response body: `oauth_token`, `oauth_token_secret` and the provider's extra fields. */
function parseTokenResponse(body: string, step: AuthStep): OAuthToken {
  const fields = Object.create(null) as Record<string, string>;
  for (const [name, value] of parseQsBytes(body, { keepBlankValues: false })) fields[name] ??= value.toString("utf8");
  const { oauth_token: key, oauth_token_secret: secret, ...extra } = fields;
  if (key === undefined || secret === undefined) {
    throw new TokenExchangeError(`the ${step} answer has no oauth_token and oauth_token_secret`, { step });
  }
  return { key, secret, ...extra };
}

/** Fetches a token URL; the provider's token. */
export async function fetchToken(client: AsyncHTTPClient, url: string, step: AuthStep): Promise<OAuthToken> {
  const what = step === "requestToken" ? "the request-token request" : "the access-token request";
  const response: HTTPResponse = await fetchFromProvider(client, url, {}, step, what);
  return parseTokenResponse(providerText(response, step, TokenExchangeError, what), step);
}

/**
 * Keeps the request token in its cookie and sends the user to `authorizeUrl` (or, for "oob",
 * writes that URL). Tornado: OAuthMixin._on_request_token.
 */
export function onRequestToken(
  handler: OAuthHandler,
  authorizeUrl: string,
  callbackUri: string | undefined,
  requestToken: OAuthToken,
): Promise<void> {
  const value = `${Buffer.from(requestToken.key).toString("base64")}|${Buffer.from(requestToken.secret).toString("base64")}`;
  writeAuthCookie(handler, requestTokenCookie(handler), value);
  const args: Array<[string, string]> = [["oauth_token", requestToken.key]];
  if (callbackUri === "oob") return handler.finish(withQuery(authorizeUrl, args));
  if (callbackUri) args.push(["oauth_callback", new URL(callbackUri, handler.request.fullUrl()).href]);
  return handler.redirect(withQuery(authorizeUrl, args));
}

/**
 * Adds OAuth 1.0a (or 1.0) to a RequestHandler class. Subclasses give the three endpoints,
 * oauthConsumerToken() and oauthGetUserFuture(); TwitterMixin is the example.
 * Tornado: auth.OAuthMixin.
 */
export function OAuthMixin<Base extends RequestHandlerBase>(base: Base): Base & typeof OAuthMembers {
  abstract class OAuthHandlerClass extends base implements OAuthMembers {
    abstract OAUTH_REQUEST_TOKEN_URL: string;
    abstract OAUTH_ACCESS_TOKEN_URL: string;
    abstract OAUTH_AUTHORIZE_URL: string;
    OAUTH_VERSION: OAuthVersion = "1.0a";
    OAUTH_NO_CALLBACKS = false;
    OAUTH_SIGNED_COOKIE = true;
    AUTH_FLOW_MAX_AGE = 600;

    abstract oauthConsumerToken(): OAuthToken;
    abstract oauthGetUserFuture(accessToken: OAuthToken): Promise<AuthUser | null | undefined>;

    async authorizeRedirect(options: OAuthAuthorizeOptions = {}): Promise<void> {
      const { callbackUri, extraParams, httpClient = this.getAuthHttpClient() } = options;
      if (callbackUri && this.OAUTH_NO_CALLBACKS) {
        throw new AuthConfigError("This service does not support oauth_callback", { step: "authorize" });
      }
      const url = this.OAUTH_VERSION === "1.0a" ? this.oauthRequestTokenUrl({ callbackUri, extraParams }) : this.oauthRequestTokenUrl();
      const requestToken = await fetchToken(httpClient, url, "requestToken");
      return onRequestToken(this, this.OAUTH_AUTHORIZE_URL, callbackUri, requestToken);
    }

    async getAuthenticatedUser(options: { httpClient?: AsyncHTTPClient } = {}): Promise<OAuthUser> {
      const denied = this.getQueryArgument("denied", null);
      if (denied !== null) throw new AuthorizationDeniedError("the user denied the authorization", { step: "callback", providerError: "denied" });
      const requestKey = this.getArgument("oauth_token", null);
      if (requestKey === null) throw new CallbackInvalidError("the callback carries no oauth_token", { step: "callback" });
      const verifier = this.getArgument("oauth_verifier", null);
      const cookie = takeAuthCookie(this, requestTokenCookie(this), "Missing OAuth request token cookie", "callback");
      const parts = cookie.split("|");
      if (parts.length !== 2) throw new FlowCookieMissingError("Malformed OAuth request token cookie", { step: "callback" });
      const [key, secret] = parts.map((part) => Buffer.from(part, "base64").toString("utf8")) as [string, string];
      checkSameSecret(requestKey, key, "Request token does not match cookie", "callback");
      const requestToken: OAuthToken = { key, secret };
      if (verifier) requestToken.verifier = verifier;
      const accessToken = await fetchToken(options.httpClient ?? this.getAuthHttpClient(), this.oauthAccessTokenUrl(requestToken), "accessToken");
      const user = await this.oauthGetUserFuture(accessToken);
      if (!user) throw new UserinfoError("Error getting user", { step: "userinfo" });
      return Object.assign(user, { access_token: accessToken });
    }

    async getAuthenticatedLogin(options: { httpClient?: AsyncHTTPClient } = {}): Promise<AuthLogin> {
      const { access_token: accessToken, ...user } = await this.getAuthenticatedUser(options);
      const { key, secret } = accessToken;
      return { user, tokens: { accessToken: key, tokenSecret: secret, response: { ...accessToken } } };
    }

    oauthRequestTokenUrl(options: { callbackUri?: string; extraParams?: Record<string, string> } = {}): string {
      const { callbackUri, extraParams } = options;
      const consumerToken = this.oauthConsumerToken();
      const args = baseParameters(consumerToken);
      if (this.OAUTH_VERSION === "1.0a") {
        if (callbackUri === "oob") args.oauth_callback = "oob";
        else if (callbackUri) args.oauth_callback = new URL(callbackUri, this.request.fullUrl()).href;
        if (extraParams !== undefined) Object.assign(args, extraParams);
      }
      args.oauth_signature = oauthSignature(consumerToken, "GET", this.OAUTH_REQUEST_TOKEN_URL, args, null, this.OAUTH_VERSION);
      return withQuery(this.OAUTH_REQUEST_TOKEN_URL, args);
    }

    oauthAccessTokenUrl(requestToken: OAuthToken): string {
      const consumerToken = this.oauthConsumerToken();
      const args = { ...baseParameters(consumerToken), oauth_token: requestToken.key };
      if (requestToken.verifier !== undefined) Object.assign(args, { oauth_verifier: requestToken.verifier });
      const signature = oauthSignature(consumerToken, "GET", this.OAUTH_ACCESS_TOKEN_URL, args, requestToken, this.OAUTH_VERSION);
      return withQuery(this.OAUTH_ACCESS_TOKEN_URL, { ...args, oauth_signature: signature });
    }

    oauthRequestParameters(
      url: string,
      accessToken: OAuthToken,
      parameters: Record<string, string> = {},
      method = "GET",
    ): Record<string, string> {
      const consumerToken = this.oauthConsumerToken();
      const baseArgs: Record<string, string> = { ...baseParameters(consumerToken), oauth_token: accessToken.key };
      const signature = oauthSignature(consumerToken, method, url, { ...baseArgs, ...parameters }, accessToken, this.OAUTH_VERSION);
      return { ...baseArgs, oauth_signature: signature };
    }

    getAuthHttpClient(): AsyncHTTPClient {
      return defaultAuthHttpClient();
    }
  }
  return OAuthHandlerClass;
}
