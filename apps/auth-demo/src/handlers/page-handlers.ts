/** The pages: home (the user's claims, or the login buttons), the profile, and logout. */

import { authenticated, DiscoveryError, genLog, OpenIdConnectMixin, type AsyncHTTPClient } from "@tornado/tornado";

import { BaseHandler } from "./base-handler";

export class HomeHandler extends BaseHandler {
  async get(): Promise<void> {
    await this.render("home.html");
  }
}

/** `@authenticated`: a visitor who is not logged in goes to `/auth/login?next=%2Fprofile` first. */
export class ProfileHandler extends BaseHandler {
  @authenticated
  async get(): Promise<void> {
    await this.render("profile.html", { session: this.session! });
  }
}

/**
 * `/auth/logout`: a GET asks to confirm (a link elsewhere must not log you out), the POST
 * (with the XSRF token) clears the session cookie and, after an OpenID Connect login, sends
 * the browser to the provider's RP-initiated logout with the id_token as the hint, so the
 * provider's session ends too. A provider without `end_session_endpoint` (or an unreachable
 * one) leaves the user logged out here only, back on the home page.
 */
export class LogoutHandler extends OpenIdConnectMixin(BaseHandler) {
  override getAuthHttpClient(): AsyncHTTPClient {
    return this.host.authClient;
  }

  async get(): Promise<void> {
    if (this.session === null) return this.redirect("/");
    await this.render("logout.html");
  }

  async post(): Promise<void> {
    const session = this.session;
    this.endSession();
    if (session?.provider !== "oidc") return this.redirect("/");
    let logoutUrl: string;
    try {
      logoutUrl = await this.getLogoutUrl({ idTokenHint: session.idToken });
    } catch (error) {
      if (!(error instanceof DiscoveryError)) genLog.warning(`logout: the provider's logout URL is unavailable, logged out here only: ${String(error)}`);
      return this.redirect("/");
    }
    await this.redirect(logoutUrl);
  }
}
