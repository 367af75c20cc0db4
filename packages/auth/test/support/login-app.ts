/**
 * The application the OpenID Connect tests sign in to: /login (OpenIdConnectMixin, an
 * AuthError answered 401 with its code as JSON), /home (authenticated: the user of the signed
 * `user` cookie), /refresh and /logout (the last login's tokens).
 */

import { AsyncHTTPClient } from "@tornado/httpclient";
import { startHTTPTestServer, type HTTPTestServer } from "@tornado/testing";
import { Application, RequestHandler, authenticated } from "@tornado/web";
import { OpenIdConnectMixin, type AuthLogin, type OpenIdConnectSettings } from "@tornado/auth";
import { answerAuthError } from "./auth-error-answer";

export type { AuthErrorAnswer } from "./auth-error-answer";

export interface LoginApp {
  server: HTTPTestServer;
  app: Application;
  /** The client the mixin fetches with. */
  authClient: AsyncHTTPClient;
  /** Every successful login, in order. */
  logins: AuthLogin[];
  /** Points /login at a provider. */
  configure(settings: OpenIdConnectSettings): void;
  stop(): Promise<void>;
}

export async function startLoginApp(): Promise<LoginApp> {
  const authClient = new AsyncHTTPClient({ defaults: { requestTimeout: 10 } });
  const logins: AuthLogin[] = [];

  class Login extends OpenIdConnectMixin(RequestHandler) {
    override getAuthHttpClient(): AsyncHTTPClient {
      return authClient;
    }

    override async get(): Promise<void> {
      try {
        if (this.getArgument("code", null) === null && this.getArgument("error", null) === null) {
          await this.authorizeRedirect({ scope: ["openid", "email", "profile"], returnTo: this.getArgument("next", undefined) });
          return;
        }
        const login = await this.getAuthenticatedUser();
        logins.push(login);
        this.setSignedCookie("user", JSON.stringify(login.user));
        await this.redirect(login.returnTo ?? "/home");
      } catch (error) {
        await answerAuthError(this, error);
      }
    }
  }

  class Home extends RequestHandler {
    override getCurrentUser(): unknown {
      const value = this.getSignedCookie("user");
      return value === null ? null : JSON.parse(value);
    }

    @authenticated
    override get(): void {
      this.write({ user: this.currentUser });
    }
  }

  class Refresh extends Login {
    override async get(): Promise<void> {
      const last = logins[logins.length - 1]!;
      const tokens = await this.refreshTokens(last.tokens.refreshToken!, { subject: String(last.user.sub) });
      this.write({ accessToken: tokens.accessToken, refreshed: tokens.accessToken !== last.tokens.accessToken, sub: tokens.idTokenClaims?.sub ?? null });
    }
  }

  class Logout extends Login {
    override async get(): Promise<void> {
      const last = logins[logins.length - 1]!;
      this.clearCookie("user");
      try {
        await this.redirect(await this.getLogoutUrl({ idTokenHint: last.tokens.idToken, state: "bye" }));
      } catch (error) {
        await answerAuthError(this, error);
      }
    }
  }

  class LoggedOut extends RequestHandler {
    override get(): void {
      this.write(`logged out (${this.getArgument("state", "")})`);
    }
  }

  const app = new Application(
    [
      ["/login", Login],
      ["/home", Home],
      ["/refresh", Refresh],
      ["/logout", Logout],
      ["/logged-out", LoggedOut],
    ],
    // The 401s of the failing logins are the point of the tests, not news for the log.
    { cookieSecret: "a cookie secret for the login tests", loginUrl: "/login", logFunction: () => {} },
  );
  const server = await startHTTPTestServer(app);
  return {
    server,
    app,
    authClient,
    logins,
    configure(settings) {
      app.settings.openidConnect = settings;
    },
    async stop() {
      await server.stop();
      await authClient.close();
    },
  };
}
