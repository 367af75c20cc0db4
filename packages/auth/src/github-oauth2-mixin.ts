/**
 * GitHubOAuth2Mixin: "Sign in with GitHub" (an OAuth App or a GitHub App's user
 * authorization). Beyond Tornado, in the shape of its GoogleOAuth2Mixin.
 */

import type { AuthLogin, AuthUser } from "./auth-login";
import { tokensFromResponse } from "./auth-login";
import { bearerRequest } from "./bearer-request";
import { ProviderRequestError, UserinfoError } from "./errors";
import type { MixinArguments, RequestHandlerBase } from "./handler-base";
import { currentUrlWithoutQuery } from "./login-flow";
import { OAuth2Mixin, type OAuth2AuthorizeOptions, type OAuth2Members } from "./oauth2-mixin";
import { clientSettings } from "./oauth2-settings";
import type { OAuth2ClientSettings } from "./settings";
import { requestTokens } from "./token-request";

/** What GitHub's REST API asks every request to send. */
const GITHUB_HEADERS = { Accept: "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28" };

interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

/** What GitHubOAuth2Mixin adds to OAuth2Mixin's members. */
export declare abstract class GitHubOAuth2Members {
  constructor(...args: MixinArguments);
  /** Default "https://github.com/login/oauth/authorize". */
  OAUTH_AUTHORIZE_URL: string;
  /** Default "https://github.com/login/oauth/access_token". */
  OAUTH_ACCESS_TOKEN_URL: string;
  /** The REST API root of githubRequest, default "https://api.github.com". */
  GITHUB_API_URL: string;
  /** The settings key of the client, default "githubOauth". */
  OAUTH_SETTINGS_KEY: string;
  /** The `githubOauth` setting, `{ key, secret }`; override to read it elsewhere. */
  getGitHubOauthSettings(): OAuth2ClientSettings;
  /** OAuth2Mixin's, with `redirectUri` and `clientId` defaulting to the setting (or this URL). */
  authorizeRedirect(options?: OAuth2AuthorizeOptions): Promise<void>;
  /**
   * Checks the callback, exchanges its code, reads `/user` (and, when the profile hides the
   * email, the primary verified one from `/user/emails` if the `user:email` scope allows).
   * Resolves with `{ user, tokens, returnTo }`.
   */
  getAuthenticatedUser(options?: { redirectUri?: string }): Promise<AuthLogin>;
  /** A REST API call to GITHUB_API_URL + `path` (e.g. "/user/repos"); see oauth2Request. */
  githubRequest<T = unknown>(
    path: string,
    accessToken: string,
    postArgs?: Record<string, string> | null,
    args?: Record<string, string>,
  ): Promise<T>;
}

/**
 * Adds GitHub sign-in to a RequestHandler class; settings `githubOauth: { key, secret }`.
 *
 * @example
 * class GitHubLogin extends GitHubOAuth2Mixin(RequestHandler) {
 *   async get() {
 *     if (!this.getArgument("code", null)) return this.authorizeRedirect({ scope: ["read:user"] });
 *     const { user } = await this.getAuthenticatedUser();
 *   }
 * }
 */
export function GitHubOAuth2Mixin<Base extends RequestHandlerBase>(
  base: Base,
): Base & typeof OAuth2Members & typeof GitHubOAuth2Members {
  abstract class GitHubOAuth2Handler extends OAuth2Mixin(base) implements GitHubOAuth2Members {
    OAUTH_AUTHORIZE_URL = "https://github.com/login/oauth/authorize";
    OAUTH_ACCESS_TOKEN_URL = "https://github.com/login/oauth/access_token";
    GITHUB_API_URL = "https://api.github.com";
    OAUTH_SETTINGS_KEY = "githubOauth";

    getGitHubOauthSettings(): OAuth2ClientSettings {
      return clientSettings(this, this.OAUTH_SETTINGS_KEY);
    }

    override authorizeRedirect(options: OAuth2AuthorizeOptions = {}): Promise<void> {
      const settings = options.redirectUri === undefined || options.clientId === undefined ? this.getGitHubOauthSettings() : undefined;
      return super.authorizeRedirect({
        ...options,
        redirectUri: options.redirectUri ?? settings?.redirectUri ?? currentUrlWithoutQuery(this),
        clientId: options.clientId ?? settings?.key,
      });
    }

    async getAuthenticatedUser(options: { redirectUri?: string } = {}): Promise<AuthLogin> {
      const settings = this.getGitHubOauthSettings();
      const { code, flow } = this.checkAuthorizationCallback();
      const params: Record<string, string> = {
        grant_type: "authorization_code",
        code,
        redirect_uri: options.redirectUri ?? settings.redirectUri ?? currentUrlWithoutQuery(this),
      };
      if (flow?.codeVerifier !== undefined) params.code_verifier = flow.codeVerifier;
      const response = await requestTokens(this.getAuthHttpClient(), {
        url: this.OAUTH_ACCESS_TOKEN_URL,
        params,
        clientId: settings.key,
        clientSecret: settings.secret,
        authMethod: "client_secret_post",
        step: "token",
      });
      const tokens = tokensFromResponse(response);
      const user = await this.#profile(tokens.accessToken);
      if (user.email === null || user.email === undefined) {
        const email = await this.#primaryEmail(tokens.accessToken);
        if (email !== undefined) user.email = email;
      }
      return { user, tokens, ...(flow?.returnTo !== undefined ? { returnTo: flow.returnTo } : {}) };
    }

    #profile(accessToken: string): Promise<AuthUser> {
      return bearerRequest<AuthUser>(this.getAuthHttpClient(), {
        url: `${this.GITHUB_API_URL}/user`,
        accessToken,
        tokenInQuery: false,
        headers: GITHUB_HEADERS,
        step: "userinfo",
        ErrorClass: UserinfoError,
        what: "the /user request",
        expectObject: true,
      });
    }

    async #primaryEmail(accessToken: string): Promise<string | undefined> {
      let emails: unknown;
      try {
        emails = await this.githubRequest("/user/emails", accessToken);
      } catch (error) {
        // Without the user:email scope GitHub answers 403 or 404: the email stays hidden.
        if (error instanceof ProviderRequestError && (error.status === 403 || error.status === 404)) return undefined;
        throw error;
      }
      if (!Array.isArray(emails)) return undefined;
      const primary = (emails as GitHubEmail[]).find((entry) => entry.primary && entry.verified);
      return primary?.email;
    }

    githubRequest<T = unknown>(
      path: string,
      accessToken: string,
      postArgs?: Record<string, string> | null,
      args: Record<string, string> = {},
    ): Promise<T> {
      return bearerRequest<T>(this.getAuthHttpClient(), {
        url: this.GITHUB_API_URL + path,
        accessToken,
        tokenInQuery: false,
        postArgs,
        args,
        headers: GITHUB_HEADERS,
        step: "request",
        ErrorClass: ProviderRequestError,
        what: `the GitHub API request ${path}`,
      });
    }
  }
  return GitHubOAuth2Handler;
}
