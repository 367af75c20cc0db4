/**
 * The auth demo as an Application: the routes, XSRF, the signed-cookie settings, and the
 * providers: `openidConnect` always (yours, or the local one), `githubOauth` and
 * `googleOauth` only with their keys, their routes added only then.
 */

import { randomBytes } from "node:crypto";
import { join } from "node:path";
import {
  accessLog,
  Application,
  AsyncHTTPClient,
  type ApplicationSettings,
  type OAuth2ClientSettings,
  type OpenIdConnectSettings,
  type RequestHandler,
} from "@tornado/tornado";
import { BaseHandler, type AuthDemoHost } from "./handlers/base-handler";
import { GitHubLoginHandler, GoogleLoginHandler, OidcLoginHandler } from "./handlers/login-handlers";
import { HomeHandler, LogoutHandler, ProfileHandler } from "./handlers/page-handlers";

export const APP_ROOT = join(__dirname, "..");

// The demo's own settings, declared on @tornado/web's ApplicationSettings (through the
// meta-package); templates read them as handler.settings.*.
declare module "@tornado/tornado" {
  interface ApplicationSettings {
    /** The origin the browser reaches the demo at (PUBLIC_URL); pages asked for at another host are redirected there. */
    publicUrl?: string;
    /** The local provider's demo user, shown on the home page; absent with your own provider. */
    demoLogin?: { login: string; password: string };
  }
}

export interface AuthDemoSettings {
  /** Signs the session, flow and XSRF cookies. Default: random, so logins end when the process does. */
  cookieSecret?: string;
  publicUrl: string;
  openidConnect: OpenIdConnectSettings;
  githubOauth?: OAuth2ClientSettings;
  googleOauth?: OAuth2ClientSettings;
  demoLogin?: { login: string; password: string };
  debug?: boolean;
}

export class AuthDemoApplication extends Application implements AuthDemoHost {
  readonly authClient = new AsyncHTTPClient({ defaults: { connectTimeout: 10, requestTimeout: 20 } });

  constructor(settings: AuthDemoSettings) {
    const appSettings: ApplicationSettings = {
      templatePath: join(APP_ROOT, "templates"),
      staticPath: join(APP_ROOT, "static"),
      xsrfCookies: true,
      xsrfCookieKwargs: { sameSite: "Lax", httpOnly: true },
      cookieSecret: settings.cookieSecret ?? randomBytes(32).toString("base64"),
      loginUrl: "/auth/login",
      publicUrl: settings.publicUrl,
      openidConnect: settings.openidConnect,
      githubOauth: settings.githubOauth,
      googleOauth: settings.googleOauth,
      demoLogin: settings.demoLogin,
      debug: settings.debug ?? false,
    };
    super(
      [
        ["/", HomeHandler],
        ["/profile", ProfileHandler],
        ["/auth/login", OidcLoginHandler],
        ["/auth/logout", LogoutHandler],
        ...(settings.githubOauth ? ([["/auth/github", GitHubLoginHandler]] as const) : []),
        ...(settings.googleOauth ? ([["/auth/google", GoogleLoginHandler]] as const) : []),
      ],
      appSettings,
    );
  }

  /** A failed login's 502 is the provider's failure, logged at WARNING as its 400s and 401s are. */
  override logRequest(handler: RequestHandler): void {
    if (handler instanceof BaseHandler && handler.authFailure !== null && handler.getStatus() > 500) {
      accessLog.warning(`${handler.getStatus()} ${handler._requestSummary()} ${(1000 * handler.request.requestTime()).toFixed(2)}ms`);
      return;
    }
    super.logRequest(handler);
  }

  /** Closes the client the logins fetched with. */
  close(): Promise<void> {
    return this.authClient.close();
  }
}
