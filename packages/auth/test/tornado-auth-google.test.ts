/**
 * Tornado's own tests of tornado.auth (tornado/test/auth_test.py), ported: GoogleOAuth2Test. As in
 * Tornado, one Application holds the client handlers and the simulated providers. Where
 * Tornado's behaviour is now an option rather than the default, the ported handler selects it
 * (OAUTH_SIGNED_COOKIE = false, OAUTH_STATE = false, OAUTH2_TOKEN_IN_QUERY = true) so that each
 * case checks what Tornado checks; the safe defaults have their own tests.
 */

import type { AsyncHTTPClient } from "@tornado/httpclient";
import { useHTTPTestServer, type HTTPTestServerHandle } from "@tornado/testing";
import { Application, RequestHandler } from "@tornado/web";
import { GoogleOAuth2Mixin } from "@tornado/auth";
import { Browser } from "./support/browser";
import { context, quiet, type TestContext } from "./support/tornado-test-context";

class GoogleLoginHandler extends GoogleOAuth2Mixin(RequestHandler) {
  // Tornado's simulated userinfo endpoint reads the token from the query.
  override OAUTH2_TOKEN_IN_QUERY = true;
  test!: TestContext;
  redirectUri = "";

  override initialize({ test }: { test: TestContext }): void {
    this.test = test;
    this.redirectUri = test.getUrl("/client/login");
    this.OAUTH_AUTHORIZE_URL = test.getUrl("/google/oauth2/authorize");
    this.OAUTH_ACCESS_TOKEN_URL = test.getUrl("/google/oauth2/token");
  }

  override getAuthHttpClient(): AsyncHTTPClient {
    return this.test.httpClient();
  }

  override async get(): Promise<void> {
    const code = this.getArgument("code", null);
    if (code !== null) {
      const access = await this.getAuthenticatedUser({ redirectUri: this.redirectUri, code });
      const user = await this.oauth2Request<Record<string, unknown>>(this.test.getUrl("/google/oauth2/userinfo"), access.access_token as string);
      user.access_token = access.access_token;
      this.write(user);
    } else {
      await this.authorizeRedirect({
        redirectUri: this.redirectUri,
        clientId: this.settings.googleOauth!.key,
        scope: ["profile", "email"],
        responseType: "code",
        extraParams: { prompt: "select_account" },
      });
    }
  }
}

class GoogleOAuth2AuthorizeHandler extends RequestHandler {
  override get(): void {
    // issue a fake auth code and redirect to redirect_uri, with the state as Google does
    const redirect = new URL(this.getArgument("redirect_uri"));
    redirect.searchParams.set("code", "fake-authorization-code");
    redirect.searchParams.set("state", this.getArgument("state"));
    void this.redirect(redirect.href);
  }
}

class GoogleOAuth2TokenHandler extends RequestHandler {
  override post(): void {
    if (this.getArgument("code") !== "fake-authorization-code") throw new Error("bad code");
    // issue a fake token
    void this.finish({ access_token: "fake-access-token", expires_in: "never-expires" });
  }
}

class GoogleOAuth2UserinfoHandler extends RequestHandler {
  override get(): void {
    if (this.getArgument("access_token") !== "fake-access-token") throw new Error("bad token");
    // return a fake user
    void this.finish({ name: "Foo", email: "foo@example.com" });
  }
}

describe("GoogleOAuth2Test", () => {
  const server: HTTPTestServerHandle = useHTTPTestServer(
    () =>
      new Application(
        [
          ["/client/login", GoogleLoginHandler, { test: context(() => server) }],
          ["/google/oauth2/authorize", GoogleOAuth2AuthorizeHandler],
          ["/google/oauth2/token", GoogleOAuth2TokenHandler],
          ["/google/oauth2/userinfo", GoogleOAuth2UserinfoHandler],
        ],
        {
          ...quiet,
          cookieSecret: "the OAuth 2.0 flow cookie is signed",
          googleOauth: { key: "fake_google_client_id", secret: "fake_google_client_secret" },
        },
      ),
  );

  it("test_google_login", async () => {
    // A client that keeps cookies: the login's flow cookie must come back with the callback.
    const browser = new Browser();
    try {
      const { response } = await browser.visit(server.url("/client/login"));
      expect(JSON.parse(response!.text)).toEqual({ name: "Foo", email: "foo@example.com", access_token: "fake-access-token" });
    } finally {
      await browser.close();
    }
  });
});
