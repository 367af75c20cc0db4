/**
 * GoogleOAuth2Mixin: Google sign-in with OAuth 2.0. Tornado: auth.GoogleOAuth2Mixin.
 * For a verified identity (the id_token checked), OpenIdConnectMixin with the issuer
 * `https://accounts.google.com` is the stronger choice.
 */

import type { AsyncHTTPClient } from "@tornado/httpclient";
import type { AuthLogin, AuthUser } from "./auth-login";
import { tokensFromResponse } from "./auth-login";
import { bearerRequest } from "./bearer-request";
import { UserinfoError } from "./errors";
import type { MixinArguments, RequestHandlerBase } from "./handler-base";
import { currentUrlWithoutQuery } from "./login-flow";
import { OAuth2Mixin, type OAuth2AuthorizeOptions, type OAuth2Members } from "./oauth2-mixin";
import { clientSettings } from "./oauth2-settings";
import type { JsonObject } from "./provider-response";
import type { OAuth2ClientSettings } from "./settings";
import { requestTokens } from "./token-request";

/** Options of GoogleOAuth2Mixin.getAuthenticatedUser. Tornado: its arguments. */
export interface GoogleAuthenticatedUserOptions {
  redirectUri: string;
  code: string;
  /** Default: the googleOauth setting's key. */
  clientId?: string;
  /** Default: the googleOauth setting's secret. */
  clientSecret?: string;
}

interface CodeExchange {
  client: AsyncHTTPClient;
  url: string;
  redirectUri: string;
  code: string;
  codeVerifier: string | undefined;
  clientId: string;
  clientSecret: string;
}

function exchangeCode(exchange: CodeExchange): Promise<JsonObject> {
  const params: Record<string, string> = {
    redirect_uri: exchange.redirectUri,
    code: exchange.code,
    grant_type: "authorization_code",
  };
  if (exchange.codeVerifier !== undefined) params.code_verifier = exchange.codeVerifier;
  return requestTokens(exchange.client, {
    url: exchange.url,
    params,
    clientId: exchange.clientId,
    clientSecret: exchange.clientSecret,
    authMethod: "client_secret_post",
    step: "token",
  });
}

/** What GoogleOAuth2Mixin adds to OAuth2Mixin's members. */
export declare abstract class GoogleOAuth2Members {
  constructor(...args: MixinArguments);
  /** Tornado: _OAUTH_AUTHORIZE_URL. */
  OAUTH_AUTHORIZE_URL: string;
  /** Tornado: _OAUTH_ACCESS_TOKEN_URL. */
  OAUTH_ACCESS_TOKEN_URL: string;
  /** Read by getAuthenticatedLogin. Tornado: _OAUTH_USERINFO_URL. */
  OAUTH_USERINFO_URL: string;
  /** The settings key of the client, default "googleOauth". Tornado: _OAUTH_SETTINGS_KEY. */
  OAUTH_SETTINGS_KEY: string;
  /** The `googleOauth` setting, `{ key, secret }`; override to read it elsewhere. Tornado: get_google_oauth_settings. */
  getGoogleOauthSettings(): OAuth2ClientSettings;
  /**
   * OAuth2Mixin's, with `redirectUri` defaulting to the setting's `redirectUri` or this URL,
   * and `clientId` to the setting's key (Tornado requires both).
   */
  authorizeRedirect(options?: OAuth2AuthorizeOptions): Promise<void>;
  /**
   * Exchanges the callback's code and returns Google's token response (`access_token`,
   * `expires_in`, `id_token`...), not the user, as Tornado does; with OAUTH_STATE it checks
   * the flow's state and sends its PKCE verifier. Tornado: GoogleOAuth2Mixin.get_authenticated_user.
   */
  getAuthenticatedUser(options: GoogleAuthenticatedUserOptions): Promise<JsonObject>;
  /**
   * The uniform result: checks the callback, exchanges its code, reads the user from
   * OAUTH_USERINFO_URL. `redirectUri` defaults as in authorizeRedirect. Beyond Tornado.
   */
  getAuthenticatedLogin(options?: { redirectUri?: string }): Promise<AuthLogin>;
}

/**
 * Adds Google sign-in to a RequestHandler class; settings `googleOauth: { key, secret }`.
 * Tornado: auth.GoogleOAuth2Mixin.
 *
 * @example
 * class GoogleLogin extends GoogleOAuth2Mixin(RequestHandler) {
 *   async get() {
 *     if (!this.getArgument("code", null)) return this.authorizeRedirect({ scope: ["openid", "email"] });
 *     const { user } = await this.getAuthenticatedLogin();
 *   }
 * }
 */
export function GoogleOAuth2Mixin<Base extends RequestHandlerBase>(
  base: Base,
): Base & typeof OAuth2Members & typeof GoogleOAuth2Members {
  abstract class GoogleOAuth2Handler extends OAuth2Mixin(base) implements GoogleOAuth2Members {
    OAUTH_AUTHORIZE_URL = "https://accounts.google.com/o/oauth2/v2/auth";
    OAUTH_ACCESS_TOKEN_URL = "https://www.googleapis.com/oauth2/v4/token";
    OAUTH_USERINFO_URL = "https://www.googleapis.com/oauth2/v1/userinfo";
    OAUTH_SETTINGS_KEY = "googleOauth";

    getGoogleOauthSettings(): OAuth2ClientSettings {
      return clientSettings(this, this.OAUTH_SETTINGS_KEY);
    }

    override authorizeRedirect(options: OAuth2AuthorizeOptions = {}): Promise<void> {
      const settings = options.redirectUri === undefined || options.clientId === undefined ? this.getGoogleOauthSettings() : undefined;
      return super.authorizeRedirect({
        ...options,
        redirectUri: options.redirectUri ?? settings?.redirectUri ?? currentUrlWithoutQuery(this),
        clientId: options.clientId ?? settings?.key,
      });
    }

    async getAuthenticatedUser(options: GoogleAuthenticatedUserOptions): Promise<JsonObject> {
      const { redirectUri, code } = options;
      const settings = options.clientId === undefined || options.clientSecret === undefined ? this.getGoogleOauthSettings() : undefined;
      const { flow } = this.checkAuthorizationCallback(code);
      return exchangeCode({
        client: this.getAuthHttpClient(),
        url: this.OAUTH_ACCESS_TOKEN_URL,
        redirectUri,
        code,
        codeVerifier: flow?.codeVerifier,
        clientId: options.clientId ?? settings!.key,
        clientSecret: options.clientSecret ?? settings!.secret,
      });
    }

    async getAuthenticatedLogin(options: { redirectUri?: string } = {}): Promise<AuthLogin> {
      const settings = this.getGoogleOauthSettings();
      const { code, flow } = this.checkAuthorizationCallback();
      const client = this.getAuthHttpClient();
      const response = await exchangeCode({
        client,
        url: this.OAUTH_ACCESS_TOKEN_URL,
        redirectUri: options.redirectUri ?? settings.redirectUri ?? currentUrlWithoutQuery(this),
        code,
        codeVerifier: flow?.codeVerifier,
        clientId: settings.key,
        clientSecret: settings.secret,
      });
      const tokens = tokensFromResponse(response);
      const user = await bearerRequest<AuthUser>(client, {
        url: this.OAUTH_USERINFO_URL,
        accessToken: tokens.accessToken,
        tokenInQuery: this.OAUTH2_TOKEN_IN_QUERY,
        step: "userinfo",
        ErrorClass: UserinfoError,
        what: "the userinfo request",
        expectObject: true,
      });
      return { user, tokens, ...(flow?.returnTo !== undefined ? { returnTo: flow.returnTo } : {}) };
    }
  }
  return GoogleOAuth2Handler;
}
