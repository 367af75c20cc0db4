/**
 * FacebookGraphMixin: Facebook Login and the Graph API. Tornado: auth.FacebookGraphMixin.
 */

import { createHmac } from "node:crypto";
import type { AuthLogin, AuthUser } from "./auth-login";
import { tokensFromResponse } from "./auth-login";
import { AuthConfigError, TokenExchangeError } from "./errors";
import type { AuthFlow } from "./flow-cookie";
import type { MixinArguments, RequestHandlerBase } from "./handler-base";
import { currentUrlWithoutQuery } from "./login-flow";
import { OAuth2Mixin, type OAuth2AuthorizeOptions, type OAuth2Members } from "./oauth2-mixin";
import { fetchFromProvider, providerJson, type JsonObject } from "./provider-response";

/** Options of FacebookGraphMixin.getAuthenticatedUser. Tornado: its arguments. */
export interface FacebookAuthenticatedUserOptions {
  redirectUri: string;
  clientId: string;
  clientSecret: string;
  code: string;
  /** Graph fields beyond id, name, first_name, last_name, locale, picture and link. */
  extraFields?: string[];
}

const DEFAULT_FIELDS = ["id", "name", "first_name", "last_name", "locale", "picture", "link"];

/** What FacebookGraphMixin adds to OAuth2Mixin's members. */
export declare abstract class FacebookGraphMembers {
  constructor(...args: MixinArguments);
  /** Tornado: _OAUTH_ACCESS_TOKEN_URL. */
  OAUTH_ACCESS_TOKEN_URL: string;
  /** Tornado: _OAUTH_AUTHORIZE_URL. */
  OAUTH_AUTHORIZE_URL: string;
  /** The Graph API root of facebookRequest. Tornado: _FACEBOOK_BASE_URL. */
  FACEBOOK_BASE_URL: string;
  /** OAuth2Mixin's, with `clientId` defaulting to the facebookApiKey setting and `redirectUri` to this URL. */
  authorizeRedirect(options?: OAuth2AuthorizeOptions): Promise<void>;
  /**
   * Exchanges the code (a GET of the token URL, as Facebook documents it), then reads `/me`
   * with `appsecret_proof`. Returns the profile fields (null where Facebook gave none) plus
   * `access_token` and `session_expires` (expires_in as a string), as Tornado does.
   * Tornado: FacebookGraphMixin.get_authenticated_user.
   */
  getAuthenticatedUser(options: FacebookAuthenticatedUserOptions): Promise<JsonObject | null>;
  /**
   * The uniform result, with the facebookApiKey and facebookSecret settings: checks the
   * callback, exchanges its code, reads `/me`. Beyond Tornado.
   */
  getAuthenticatedLogin(options?: { redirectUri?: string; extraFields?: string[] }): Promise<AuthLogin>;
  /**
   * An API call to FACEBOOK_BASE_URL + `path` (e.g. "/me/feed"); see oauth2Request.
   * Tornado: FacebookGraphMixin.facebook_request(path, access_token, post_args, **args).
   */
  facebookRequest<T = unknown>(
    path: string,
    accessToken?: string | null,
    postArgs?: Record<string, string> | null,
    args?: Record<string, string>,
  ): Promise<T>;
}

/**
 * Adds Facebook Login to a RequestHandler class. Tornado's demos keep the app id and secret
 * in the `facebookApiKey` and `facebookSecret` settings, which authorizeRedirect and
 * getAuthenticatedLogin use by default. Tornado: auth.FacebookGraphMixin.
 */
export function FacebookGraphMixin<Base extends RequestHandlerBase>(
  base: Base,
): Base & typeof OAuth2Members & typeof FacebookGraphMembers {
  abstract class FacebookGraphHandler extends OAuth2Mixin(base) implements FacebookGraphMembers {
    OAUTH_ACCESS_TOKEN_URL = "https://graph.facebook.com/oauth/access_token?";
    OAUTH_AUTHORIZE_URL = "https://www.facebook.com/dialog/oauth?";
    FACEBOOK_BASE_URL = "https://graph.facebook.com";

    override authorizeRedirect(options: OAuth2AuthorizeOptions = {}): Promise<void> {
      return super.authorizeRedirect({
        ...options,
        redirectUri: options.redirectUri ?? currentUrlWithoutQuery(this),
        clientId: options.clientId ?? this.settings.facebookApiKey,
      });
    }

    async getAuthenticatedUser(options: FacebookAuthenticatedUserOptions): Promise<JsonObject | null> {
      const { flow } = this.checkAuthorizationCallback(options.code);
      const { user, response, fields } = await this.#login(options, flow);
      if (user === null) return null;
      const result: JsonObject = {};
      for (const field of fields) result[field] = user[field] ?? null;
      result.access_token = response.access_token;
      if (response.expires_in !== undefined) result.session_expires = String(response.expires_in as number); // seconds, a number in Graph's JSON
      return result;
    }

    async getAuthenticatedLogin(options: { redirectUri?: string; extraFields?: string[] } = {}): Promise<AuthLogin> {
      const { facebookApiKey: clientId, facebookSecret: clientSecret } = this.settings;
      if (clientId === undefined || clientSecret === undefined) {
        throw new AuthConfigError("getAuthenticatedLogin needs the facebookApiKey and facebookSecret settings");
      }
      const { code, flow } = this.checkAuthorizationCallback();
      const redirectUri = options.redirectUri ?? currentUrlWithoutQuery(this);
      const { user, response } = await this.#login({ redirectUri, clientId, clientSecret, code, extraFields: options.extraFields }, flow);
      return { user: user ?? {}, tokens: tokensFromResponse(response), ...(flow?.returnTo !== undefined ? { returnTo: flow.returnTo } : {}) };
    }

    async #login(
      options: FacebookAuthenticatedUserOptions,
      flow: AuthFlow | undefined,
    ): Promise<{ user: AuthUser | null; response: JsonObject; fields: string[] }> {
      const { redirectUri, clientId, clientSecret, code } = options;
      const url = this.oauthRequestTokenUrl({
        redirectUri,
        code,
        clientId,
        clientSecret,
        extraParams: flow?.codeVerifier !== undefined ? { code_verifier: flow.codeVerifier } : undefined,
      });
      const answer = await fetchFromProvider(this.getAuthHttpClient(), url, {}, "token", "the token request");
      const response = providerJson(answer, "token", TokenExchangeError, "the token request");
      if (typeof response.access_token !== "string" || response.access_token === "") {
        throw new TokenExchangeError("the token request: the answer has no access_token", { step: "token", status: answer.code });
      }
      const fields = [...new Set([...DEFAULT_FIELDS, ...(options.extraFields ?? [])])];
      const user = await this.facebookRequest<AuthUser | null>("/me", response.access_token, null, {
        appsecret_proof: createHmac("sha256", clientSecret).update(response.access_token).digest("hex"),
        fields: fields.join(","),
      });
      return { user, response, fields };
    }

    facebookRequest<T = unknown>(
      path: string,
      accessToken?: string | null,
      postArgs?: Record<string, string> | null,
      args: Record<string, string> = {},
    ): Promise<T> {
      return this.oauth2Request<T>(this.FACEBOOK_BASE_URL + path, accessToken, postArgs, args);
    }
  }
  return FacebookGraphHandler;
}
