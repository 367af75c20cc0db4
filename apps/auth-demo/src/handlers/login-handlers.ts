/**
 * The logins, one handler per provider, each a @tornado/auth mixin over BaseHandler: the same
 * URL starts the login (a redirect to the provider) and takes the provider's redirect back.
 */

import { GitHubOAuth2Mixin, GoogleOAuth2Mixin, OpenIdConnectMixin, type AsyncHTTPClient } from "@tornado/tornado";
import { BaseHandler } from "./base-handler";

/** The scopes every OpenID Connect login asks for. */
export const OIDC_SCOPE = ["openid", "email", "profile"];

// The GitHub and Google profiles are large (GitHub's has 30 URLs); the session keeps these.
const GITHUB_FIELDS = ["id", "login", "name", "email", "avatar_url", "html_url", "company", "location"];
const GOOGLE_FIELDS = ["sub", "id", "name", "given_name", "family_name", "email", "email_verified", "picture", "locale"];

function pick(user: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((name) => user[name] !== undefined && user[name] !== null).map((name) => [name, user[name]]));
}

/** A callback has `code` or `error`; a request with neither starts a login. */
function isCallback(handler: BaseHandler): boolean {
  return handler.getArgument("code", null) !== null || handler.getArgument("error", null) !== null;
}

/** `/auth/login`: OpenID Connect with the configured (or local) provider. */
export class OidcLoginHandler extends OpenIdConnectMixin(BaseHandler) {
  override getAuthHttpClient(): AsyncHTTPClient {
    return this.host.authClient;
  }

  async get(): Promise<void> {
    try {
      if (!isCallback(this)) return await this.authorizeRedirect({ scope: OIDC_SCOPE, returnTo: this.getArgument("next", undefined) });
      const { user, tokens, returnTo } = await this.getAuthenticatedUser();
      this.startSession("oidc", user, tokens.idToken);
      await this.redirect(returnTo ?? "/");
    } catch (error) {
      await this.showAuthFailure(error);
    }
  }
}

/** `/auth/github`: GitHub's OAuth 2.0 (routed only when GITHUB_CLIENT_ID and _SECRET are set). */
export class GitHubLoginHandler extends GitHubOAuth2Mixin(BaseHandler) {
  override getAuthHttpClient(): AsyncHTTPClient {
    return this.host.authClient;
  }

  async get(): Promise<void> {
    try {
      if (!isCallback(this)) return await this.authorizeRedirect({ scope: ["read:user", "user:email"], returnTo: this.getArgument("next", undefined) });
      const { user, returnTo } = await this.getAuthenticatedUser();
      this.startSession("github", pick(user, GITHUB_FIELDS));
      await this.redirect(returnTo ?? "/");
    } catch (error) {
      await this.showAuthFailure(error);
    }
  }
}

/** `/auth/google`: Google's OAuth 2.0, Tornado's GoogleOAuth2Mixin (routed only when GOOGLE_CLIENT_ID and _SECRET are set). */
export class GoogleLoginHandler extends GoogleOAuth2Mixin(BaseHandler) {
  override getAuthHttpClient(): AsyncHTTPClient {
    return this.host.authClient;
  }

  async get(): Promise<void> {
    try {
      if (!isCallback(this)) return await this.authorizeRedirect({ scope: ["openid", "email", "profile"], returnTo: this.getArgument("next", undefined) });
      const { user, returnTo } = await this.getAuthenticatedLogin();
      this.startSession("google", pick(user, GOOGLE_FIELDS));
      await this.redirect(returnTo ?? "/");
    } catch (error) {
      await this.showAuthFailure(error);
    }
  }
}
