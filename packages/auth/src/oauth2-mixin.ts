/**
 * OAuth2Mixin: the OAuth 2.0 authorization code flow on a RequestHandler. Tornado:
 * auth.OAuth2Mixin. Beyond Tornado, and on by default: a `state` and a PKCE verifier in the
 * signed flow cookie (checked by the providers' getAuthenticatedUser), and the access token
 * of oauth2Request in the Authorization header.
 */

import type { AsyncHTTPClient } from "@tornado/httpclient";
import { urlConcat } from "@tornado/httputil";
import { defaultAuthHttpClient } from "./auth-http-client";
import { checkAuthorizationCallback, type CheckedCallback } from "./authorization-callback";
import { bearerRequest } from "./bearer-request";
import { ProviderRequestError } from "./errors";
import type { MixinArguments, RequestHandlerBase } from "./handler-base";
import { flowCookieOf, startLoginFlow } from "./login-flow";

/** Options of OAuth2Mixin.authorizeRedirect. Tornado: authorize_redirect's keywords. */
export interface OAuth2AuthorizeOptions {
  /** The callback URL (`redirect_uri`). */
  redirectUri?: string;
  /** `client_id`. */
  clientId?: string;
  /** Accepted and ignored, as Tornado does (deprecated in Tornado 6.4): the secret is never sent here. */
  clientSecret?: string;
  /** More authorization parameters, e.g. `{ prompt: "select_account" }`. */
  extraParams?: Record<string, string>;
  /** Scopes, sent joined by spaces. */
  scope?: string[];
  /** `response_type`, default "code". */
  responseType?: string;
  /** A path on this site, given back by the provider mixins' uniform result. Beyond Tornado. */
  returnTo?: string;
}

/** Options of OAuth2Mixin.oauthRequestTokenUrl. Tornado: _oauth_request_token_url's keywords. */
export interface OAuth2TokenUrlOptions {
  redirectUri?: string;
  clientId?: string;
  clientSecret?: string;
  code?: string;
  extraParams?: Record<string, string>;
}

/**
 * What OAuth2Mixin adds to a handler class: the type of `this` in its subclasses.
 */
export declare abstract class OAuth2Members {
  constructor(...args: MixinArguments);
  /** The provider's authorization endpoint. Tornado: _OAUTH_AUTHORIZE_URL. */
  abstract OAUTH_AUTHORIZE_URL: string;
  /** The provider's token endpoint. Tornado: _OAUTH_ACCESS_TOKEN_URL. */
  abstract OAUTH_ACCESS_TOKEN_URL: string;
  /**
   * authorizeRedirect sends a random `state` kept in the flow cookie, and the providers'
   * getAuthenticatedUser checks it (RFC 6749 §10.12). false: Tornado's flow without state.
   * Default true. Beyond Tornado.
   */
  OAUTH_STATE: boolean;
  /** With OAUTH_STATE, also send a PKCE S256 challenge (RFC 7636). Default true. Beyond Tornado. */
  OAUTH_PKCE: boolean;
  /** oauth2Request sends the token as `?access_token=` (Tornado's way) instead of the header. Default false. */
  OAUTH2_TOKEN_IN_QUERY: boolean;
  /** The flow cookie's name, default "_auth_flow". */
  AUTH_FLOW_COOKIE: string;
  /** Seconds a started login stays valid, default 600. */
  AUTH_FLOW_MAX_AGE: number;
  /**
   * Redirects to the provider's authorization page; resolves when the redirect is sent.
   * Tornado: OAuth2Mixin.authorize_redirect.
   */
  authorizeRedirect(options?: OAuth2AuthorizeOptions): Promise<void>;
  /**
   * The token endpoint URL with the given arguments in its query (Facebook's code exchange
   * is a GET of it). Tornado: OAuth2Mixin._oauth_request_token_url.
   */
  oauthRequestTokenUrl(options?: OAuth2TokenUrlOptions): string;
  /**
   * Checks the provider's redirect back: takes the flow cookie and checks `state` (with
   * OAUTH_STATE), reports an `error` as AuthorizationDeniedError, requires `code` (unless
   * given). Returns the code and the flow (its PKCE verifier and returnTo). For a provider
   * mixin of your own. Beyond Tornado.
   */
  checkAuthorizationCallback(code?: string): CheckedCallback;
  /**
   * Fetches `url` with an access token and returns the JSON-decoded answer; a POST with
   * `postArgs` as its form body when given; `args` go in the query (also without a token,
   * where Tornado drops them). A non-2xx answer throws ProviderRequestError.
   * Tornado: OAuth2Mixin.oauth2_request(url, access_token, post_args, **args).
   */
  oauth2Request<T = unknown>(
    url: string,
    accessToken?: string | null,
    postArgs?: Record<string, string> | null,
    args?: Record<string, string>,
  ): Promise<T>;
  /** The client for the provider's endpoints; override to use another. Tornado: get_auth_http_client. */
  getAuthHttpClient(): AsyncHTTPClient;
}

/**
 * Adds OAuth 2.0 to a RequestHandler class (or a subclass of it). Subclasses give the
 * provider's endpoints in `OAUTH_AUTHORIZE_URL` and `OAUTH_ACCESS_TOKEN_URL`;
 * GoogleOAuth2Mixin, FacebookGraphMixin and GitHubOAuth2Mixin are the examples.
 * Tornado: auth.OAuth2Mixin.
 *
 * @example
 * class Login extends OAuth2Mixin(RequestHandler) {
 *   OAUTH_AUTHORIZE_URL = "https://auth.example.com/authorize";
 *   OAUTH_ACCESS_TOKEN_URL = "https://auth.example.com/token";
 * }
 */
export function OAuth2Mixin<Base extends RequestHandlerBase>(base: Base): Base & typeof OAuth2Members {
  abstract class OAuth2Handler extends base implements OAuth2Members {
    abstract OAUTH_AUTHORIZE_URL: string;
    abstract OAUTH_ACCESS_TOKEN_URL: string;
    OAUTH_STATE = true;
    OAUTH_PKCE = true;
    OAUTH2_TOKEN_IN_QUERY = false;
    AUTH_FLOW_COOKIE = "_auth_flow";
    AUTH_FLOW_MAX_AGE = 600;

    authorizeRedirect(options: OAuth2AuthorizeOptions = {}): Promise<void> {
      const { redirectUri, clientId, extraParams, scope, responseType = "code", returnTo } = options;
      const args: Array<[string, string]> = [["response_type", responseType]];
      if (redirectUri !== undefined) args.push(["redirect_uri", redirectUri]);
      if (clientId !== undefined) args.push(["client_id", clientId]);
      if (extraParams !== undefined) args.push(...Object.entries(extraParams));
      if (scope !== undefined && scope.length > 0) args.push(["scope", scope.join(" ")]);
      if (this.OAUTH_STATE) args.push(...startLoginFlow(this, { pkce: this.OAUTH_PKCE, nonce: false, returnTo, extraParams }));
      return this.redirect(urlConcat(this.OAUTH_AUTHORIZE_URL, args));
    }

    oauthRequestTokenUrl(options: OAuth2TokenUrlOptions = {}): string {
      const { redirectUri, clientId, clientSecret, code, extraParams } = options;
      const args: Array<[string, string]> = [];
      if (redirectUri !== undefined) args.push(["redirect_uri", redirectUri]);
      if (code !== undefined) args.push(["code", code]);
      if (clientId !== undefined) args.push(["client_id", clientId]);
      if (clientSecret !== undefined) args.push(["client_secret", clientSecret]);
      if (extraParams !== undefined) args.push(...Object.entries(extraParams));
      return urlConcat(this.OAUTH_ACCESS_TOKEN_URL, args);
    }

    checkAuthorizationCallback(code?: string): CheckedCallback {
      return checkAuthorizationCallback(this, { flowCookie: this.OAUTH_STATE ? flowCookieOf(this) : undefined, code });
    }

    oauth2Request<T = unknown>(
      url: string,
      accessToken?: string | null,
      postArgs?: Record<string, string> | null,
      args: Record<string, string> = {},
    ): Promise<T> {
      return bearerRequest<T>(this.getAuthHttpClient(), {
        url,
        accessToken,
        tokenInQuery: this.OAUTH2_TOKEN_IN_QUERY,
        postArgs,
        args,
        step: "request",
        ErrorClass: ProviderRequestError,
        what: "the API request",
      });
    }

    getAuthHttpClient(): AsyncHTTPClient {
      return defaultAuthHttpClient();
    }
  }
  return OAuth2Handler;
}
