/**
 * TwitterMixin: Twitter (X) sign-in with OAuth 1.0a and API v1.1 requests. Tornado:
 * auth.TwitterMixin, deprecated there since 6.3 as X restricts API v1.1; kept for the
 * many OAuth 1.0a services shaped like it.
 */

import type { AsyncHTTPClient } from "@tornado/httpclient";
import { urlConcat } from "@tornado/httputil";
import type { AuthUser } from "./auth-login";
import { ProviderRequestError } from "./errors";
import type { MixinArguments, RequestHandlerBase } from "./handler-base";
import type { OAuthToken } from "./oauth1-signature";
import { fetchToken, OAuthMixin, onRequestToken, type OAuthMembers } from "./oauth-mixin";
import { fetchFromProvider, providerJsonValue } from "./provider-response";
import { formEncode } from "./form-encode";

/** What TwitterMixin adds to OAuthMixin's members. */
export declare abstract class TwitterMembers {
  constructor(...args: MixinArguments);
  OAUTH_REQUEST_TOKEN_URL: string;
  OAUTH_ACCESS_TOKEN_URL: string;
  OAUTH_AUTHORIZE_URL: string;
  /** Tornado: _OAUTH_AUTHENTICATE_URL. */
  OAUTH_AUTHENTICATE_URL: string;
  /** The API root of twitterRequest, default "https://api.twitter.com/1.1". Tornado: _TWITTER_BASE_URL. */
  TWITTER_BASE_URL: string;
  /**
   * As authorizeRedirect, to the authenticate endpoint: a user who already authorized the
   * app comes straight back. Tornado: TwitterMixin.authenticate_redirect.
   */
  authenticateRedirect(options?: { callbackUri?: string; httpClient?: AsyncHTTPClient }): Promise<void>;
  /**
   * An API call: TWITTER_BASE_URL + `path` + ".json" (or `path` itself when it is a URL),
   * OAuth-signed with `accessToken`; a POST with `postArgs`; `args` in the query. Returns
   * the JSON-decoded answer; a non-2xx one throws ProviderRequestError.
   * Tornado: TwitterMixin.twitter_request(path, access_token, post_args, **args).
   */
  twitterRequest<T = unknown>(
    path: string,
    accessToken: OAuthToken | null,
    postArgs?: Record<string, string> | null,
    args?: Record<string, string>,
  ): Promise<T>;
  /** The twitterConsumerKey and twitterConsumerSecret settings (MissingSettingError without them). */
  oauthConsumerToken(): OAuthToken;
  /** verify_credentials, with `username` set to `screen_name`. */
  oauthGetUserFuture(accessToken: OAuthToken): Promise<AuthUser | null | undefined>;
}

/**
 * Adds Twitter sign-in to a RequestHandler class; settings `twitterConsumerKey` and
 * `twitterConsumerSecret`. Tornado: auth.TwitterMixin.
 *
 * @example
 * class TwitterLogin extends TwitterMixin(RequestHandler) {
 *   async get() {
 *     if (this.getArgument("oauth_token", null)) this.finish(await this.getAuthenticatedUser());
 *     else await this.authorizeRedirect();
 *   }
 * }
 */
export function TwitterMixin<Base extends RequestHandlerBase>(base: Base): Base & typeof OAuthMembers & typeof TwitterMembers {
  abstract class TwitterHandler extends OAuthMixin(base) implements TwitterMembers {
    OAUTH_REQUEST_TOKEN_URL = "https://api.twitter.com/oauth/request_token";
    OAUTH_ACCESS_TOKEN_URL = "https://api.twitter.com/oauth/access_token";
    OAUTH_AUTHORIZE_URL = "https://api.twitter.com/oauth/authorize";
    OAUTH_AUTHENTICATE_URL = "https://api.twitter.com/oauth/authenticate";
    TWITTER_BASE_URL = "https://api.twitter.com/1.1";

    async authenticateRedirect(options: { callbackUri?: string; httpClient?: AsyncHTTPClient } = {}): Promise<void> {
      const { callbackUri, httpClient = this.getAuthHttpClient() } = options;
      const requestToken = await fetchToken(httpClient, this.oauthRequestTokenUrl({ callbackUri }), "requestToken");
      return onRequestToken(this, this.OAUTH_AUTHENTICATE_URL, undefined, requestToken);
    }

    async twitterRequest<T = unknown>(
      path: string,
      accessToken: OAuthToken | null,
      postArgs?: Record<string, string> | null,
      args: Record<string, string> = {},
    ): Promise<T> {
      let url = /^https?:/.test(path) ? path : `${this.TWITTER_BASE_URL}${path}.json`;
      const method = postArgs !== undefined && postArgs !== null ? "POST" : "GET";
      let query = args;
      if (accessToken) {
        const oauth = this.oauthRequestParameters(url, accessToken, { ...args, ...(postArgs ?? {}) }, method);
        query = { ...args, ...oauth };
      }
      if (Object.keys(query).length > 0) url = urlConcat(url, Object.entries(query));
      const what = "the Twitter API request";
      const response = await fetchFromProvider(
        this.getAuthHttpClient(),
        url,
        method === "POST" ? { method, body: formEncode(postArgs!) } : {},
        "request",
        what,
      );
      return providerJsonValue(response, "request", ProviderRequestError, what) as T;
    }

    oauthConsumerToken(): OAuthToken {
      this.requireSetting("twitterConsumerKey", "Twitter OAuth");
      this.requireSetting("twitterConsumerSecret", "Twitter OAuth");
      return { key: this.settings.twitterConsumerKey!, secret: this.settings.twitterConsumerSecret! };
    }

    async oauthGetUserFuture(accessToken: OAuthToken): Promise<AuthUser | null | undefined> {
      const user = await this.twitterRequest<AuthUser | null>("/account/verify_credentials", accessToken);
      if (user) user.username = user.screen_name;
      return user;
    }
  }
  return TwitterHandler;
}
