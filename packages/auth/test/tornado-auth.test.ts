/**
 * Tornado's own tests of tornado.auth (tornado/test/auth_test.py), ported: AuthTest (OAuth 1.0 and 1.0a, OAuth 2.0, Facebook, Twitter). As in
 * Tornado, one Application holds the client handlers and the simulated providers. Where
 * Tornado's behaviour is now an option rather than the default, the ported handler selects it
 * (OAUTH_SIGNED_COOKIE = false, OAUTH_STATE = false, OAUTH2_TOKEN_IN_QUERY = true) so that each
 * case checks what Tornado checks; the safe defaults have their own tests.
 */

import { appLog } from "@tornado/ioloop";
import type { AsyncHTTPClient } from "@tornado/httpclient";
import { ExpectLog, useHTTPTestServer, type HTTPTestServerHandle } from "@tornado/testing";
import { Application, HTTPError, RequestHandler } from "@tornado/web";
import {
  FacebookGraphMixin,
  OAuth2Mixin,
  OAuthMixin,
  ProviderRequestError,
  TwitterMixin,
  type AuthUser,
  type OAuthToken,
} from "@tornado/auth";
import { context, quiet, type TestContext } from "./support/tornado-test-context";

// ------------------------------------------------------------------ OAuth 1.0 / 1.0a

class OAuth1ClientLoginHandler extends OAuthMixin(RequestHandler) {
  OAUTH_REQUEST_TOKEN_URL = "";
  OAUTH_AUTHORIZE_URL = "";
  OAUTH_ACCESS_TOKEN_URL = "";
  override OAUTH_SIGNED_COOKIE = false;
  test!: TestContext;

  override initialize({ test, version }: { test: TestContext; version: "1.0" | "1.0a" }): void {
    this.test = test;
    this.OAUTH_VERSION = version;
    this.OAUTH_REQUEST_TOKEN_URL = test.getUrl("/oauth1/server/request_token");
    this.OAUTH_AUTHORIZE_URL = test.getUrl("/oauth1/server/authorize");
    this.OAUTH_ACCESS_TOKEN_URL = test.getUrl("/oauth1/server/access_token");
  }

  oauthConsumerToken(): OAuthToken {
    return { key: "asdf", secret: "qwer" };
  }

  override async get(): Promise<void> {
    if (this.getArgument("oauth_token", null)) {
      const user = await this.getAuthenticatedUser({ httpClient: this.test.httpClient() });
      await this.finish(user);
      return;
    }
    await this.authorizeRedirect({ httpClient: this.test.httpClient() });
  }

  async oauthGetUserFuture(accessToken: OAuthToken): Promise<AuthUser> {
    if (this.getArgument("fail_in_get_user", null)) throw new Error("failing in get_user");
    if (accessToken.key !== "uiop" || accessToken.secret !== "5678") throw new Error(`incorrect access token ${JSON.stringify(accessToken)}`);
    return { email: "foo@example.com" };
  }
}

class OAuth1ClientLoginCoroutineHandler extends OAuth1ClientLoginHandler {
  override async get(): Promise<void> {
    if (this.getArgument("oauth_token", null)) {
      try {
        await this.getAuthenticatedUser();
      } catch (error) {
        this.setStatus(503);
        this.write(`got exception: ${String(error)}`);
      }
    } else {
      await this.authorizeRedirect();
    }
  }

  override getAuthHttpClient(): AsyncHTTPClient {
    return this.test.httpClient();
  }
}

class OAuth1ClientRequestParametersHandler extends OAuthMixin(RequestHandler) {
  OAUTH_REQUEST_TOKEN_URL = "unused";
  OAUTH_AUTHORIZE_URL = "unused";
  OAUTH_ACCESS_TOKEN_URL = "unused";

  override initialize({ version }: { version: "1.0" | "1.0a" }): void {
    this.OAUTH_VERSION = version;
  }

  oauthConsumerToken(): OAuthToken {
    return { key: "asdf", secret: "qwer" };
  }

  async oauthGetUserFuture(): Promise<AuthUser> {
    return {};
  }

  override get(): void {
    this.write(this.oauthRequestParameters("http://www.example.com/api/asdf", { key: "uiop", secret: "5678" }, { foo: "bar" }));
  }
}

class OAuth1ServerRequestTokenHandler extends RequestHandler {
  static fail = false;

  override get(): void {
    if (OAuth1ServerRequestTokenHandler.fail) throw new Error("boom");
    this.write("oauth_token=zxcv&oauth_token_secret=1234");
  }
}

class OAuth1ServerAccessTokenHandler extends RequestHandler {
  override get(): void {
    this.write("oauth_token=uiop&oauth_token_secret=5678");
  }
}

// ------------------------------------------------------------------ OAuth 2.0, Facebook

class OAuth2ClientLoginHandler extends OAuth2Mixin(RequestHandler) {
  OAUTH_AUTHORIZE_URL = "";
  OAUTH_ACCESS_TOKEN_URL = "unused";

  override initialize({ test }: { test: TestContext }): void {
    this.OAUTH_AUTHORIZE_URL = test.getUrl("/oauth2/server/authorize");
  }

  override async get(): Promise<void> {
    await this.authorizeRedirect();
  }
}

class FacebookClientLoginHandler extends FacebookGraphMixin(RequestHandler) {
  override OAUTH_STATE = false;
  test!: TestContext;

  override initialize({ test }: { test: TestContext }): void {
    this.test = test;
    this.OAUTH_AUTHORIZE_URL = test.getUrl("/facebook/server/authorize");
    this.OAUTH_ACCESS_TOKEN_URL = test.getUrl("/facebook/server/access_token");
    this.FACEBOOK_BASE_URL = test.getUrl("/facebook/server");
  }

  override getAuthHttpClient(): AsyncHTTPClient {
    return this.test.httpClient();
  }

  override async get(): Promise<void> {
    if (this.getArgument("code", null)) {
      const user = await this.getAuthenticatedUser({
        redirectUri: this.request.fullUrl(),
        clientId: this.settings.facebookApiKey!,
        clientSecret: this.settings.facebookSecret!,
        code: this.getArgument("code"),
      });
      this.write(user!);
    } else {
      await this.authorizeRedirect({
        redirectUri: this.request.fullUrl(),
        clientId: this.settings.facebookApiKey,
        extraParams: { scope: "read_stream,offline_access" },
      });
    }
  }
}

class FacebookServerAccessTokenHandler extends RequestHandler {
  override get(): void {
    this.write({ access_token: "asdf", expires_in: 3600 });
  }
}

class FacebookServerMeHandler extends RequestHandler {
  override get(): void {
    this.write("{}");
  }
}

// ------------------------------------------------------------------ Twitter

class TwitterClientHandler extends TwitterMixin(RequestHandler) {
  override OAUTH_SIGNED_COOKIE = false;
  test!: TestContext;

  override initialize({ test }: { test: TestContext }): void {
    this.test = test;
    this.OAUTH_REQUEST_TOKEN_URL = test.getUrl("/oauth1/server/request_token");
    this.OAUTH_ACCESS_TOKEN_URL = test.getUrl("/twitter/server/access_token");
    this.OAUTH_AUTHORIZE_URL = test.getUrl("/oauth1/server/authorize");
    this.OAUTH_AUTHENTICATE_URL = test.getUrl("/twitter/server/authenticate");
    this.TWITTER_BASE_URL = test.getUrl("/twitter/api");
  }

  override getAuthHttpClient(): AsyncHTTPClient {
    return this.test.httpClient();
  }
}

class TwitterClientLoginHandler extends TwitterClientHandler {
  override async get(): Promise<void> {
    if (this.getArgument("oauth_token", null)) {
      await this.finish(await this.getAuthenticatedUser());
      return;
    }
    await this.authorizeRedirect();
  }
}

class TwitterClientAuthenticateHandler extends TwitterClientHandler {
  override async get(): Promise<void> {
    if (this.getArgument("oauth_token", null)) {
      await this.finish(await this.getAuthenticatedUser());
      return;
    }
    await this.authenticateRedirect();
  }
}

class TwitterClientShowUserHandler extends TwitterClientHandler {
  override async get(): Promise<void> {
    let response: Record<string, unknown>;
    try {
      response = await this.twitterRequest(`/users/show/${this.getArgument("name")}`, { key: "hjkl", secret: "vbnm" });
    } catch (error) {
      // Tornado catches HTTPClientError here; an API call's failure is an AuthError in this port.
      if (!(error instanceof ProviderRequestError)) throw error;
      this.setStatus(500);
      await this.finish("error from twitter request");
      return;
    }
    await this.finish(response);
  }
}

class TwitterServerAccessTokenHandler extends RequestHandler {
  override get(): void {
    this.write("oauth_token=hjkl&oauth_token_secret=vbnm&screen_name=foo");
  }
}

function assertTwitterOAuthArguments(handler: RequestHandler): void {
  for (const name of ["oauth_nonce", "oauth_timestamp", "oauth_signature"]) {
    if (!(name in handler.request.arguments)) throw new Error(`missing ${name}`);
  }
  const expected = { oauth_consumer_key: "test_twitter_consumer_key", oauth_signature_method: "HMAC-SHA1", oauth_version: "1.0", oauth_token: "hjkl" };
  for (const [name, value] of Object.entries(expected)) {
    if (handler.getArgument(name) !== value) throw new Error(`${name} is ${handler.getArgument(name)}`);
  }
}

class TwitterServerShowUserHandler extends RequestHandler {
  override get(screenName: unknown): void {
    const name = String(screenName);
    if (name === "error") throw new HTTPError(500);
    assertTwitterOAuthArguments(this);
    this.write({ screen_name: name, name: name[0]!.toUpperCase() + name.slice(1) });
  }
}

class TwitterServerVerifyCredentialsHandler extends RequestHandler {
  override get(): void {
    assertTwitterOAuthArguments(this);
    this.write({ screen_name: "foo", name: "Foo" });
  }
}

describe("AuthTest", () => {
  const test = context(() => server);
  const server: HTTPTestServerHandle = useHTTPTestServer(
    () =>
      new Application(
        [
          ["/oauth10/client/login", OAuth1ClientLoginHandler, { test, version: "1.0" }],
          ["/oauth10/client/request_params", OAuth1ClientRequestParametersHandler, { version: "1.0" }],
          ["/oauth10a/client/login", OAuth1ClientLoginHandler, { test, version: "1.0a" }],
          ["/oauth10a/client/login_coroutine", OAuth1ClientLoginCoroutineHandler, { test, version: "1.0a" }],
          ["/oauth10a/client/request_params", OAuth1ClientRequestParametersHandler, { version: "1.0a" }],
          ["/oauth2/client/login", OAuth2ClientLoginHandler, { test }],
          ["/facebook/client/login", FacebookClientLoginHandler, { test }],
          ["/twitter/client/login", TwitterClientLoginHandler, { test }],
          ["/twitter/client/authenticate", TwitterClientAuthenticateHandler, { test }],
          ["/twitter/client/show_user", TwitterClientShowUserHandler, { test }],
          // simulated servers
          ["/oauth1/server/request_token", OAuth1ServerRequestTokenHandler],
          ["/oauth1/server/access_token", OAuth1ServerAccessTokenHandler],
          ["/facebook/server/access_token", FacebookServerAccessTokenHandler],
          ["/facebook/server/me", FacebookServerMeHandler],
          ["/twitter/server/access_token", TwitterServerAccessTokenHandler],
          [/\/twitter\/api\/users\/show\/(.*)\.json/, TwitterServerShowUserHandler],
          [/\/twitter\/api\/account\/verify_credentials\.json/, TwitterServerVerifyCredentialsHandler],
        ],
        {
          ...quiet,
          cookieSecret: "the OAuth 2.0 flow cookie is signed",
          twitterConsumerKey: "test_twitter_consumer_key",
          twitterConsumerSecret: "test_twitter_consumer_secret",
          facebookApiKey: "test_facebook_api_key",
          facebookSecret: "test_facebook_secret",
        },
      ),
  );

  async function expectOAuthRedirect(path: string, authorizePath = "/oauth1/server/authorize"): Promise<void> {
    const response = await server.fetch(path, { followRedirects: false });
    expect(response.code).toBe(302);
    expect(response.headers.get("Location")!.endsWith(`${authorizePath}?oauth_token=zxcv`)).toBe(true);
    // the cookie is base64('zxcv')|base64('1234')
    expect(response.headers.get("Set-Cookie")).toContain('_oauth_request_token="enhjdg==|MTIzNA=="');
  }

  async function expectOAuthUser(path: string): Promise<void> {
    const response = await server.fetch(path, { headers: { Cookie: "_oauth_request_token=enhjdg==|MTIzNA==" } });
    response.rethrow();
    const parsed = JSON.parse(response.text);
    expect(parsed.email).toBe("foo@example.com");
    expect(parsed.access_token).toEqual({ key: "uiop", secret: "5678" });
  }

  async function expectRequestParameters(path: string): Promise<void> {
    const response = await server.fetch(path);
    response.rethrow();
    const parsed = JSON.parse(response.text);
    expect(parsed.oauth_consumer_key).toBe("asdf");
    expect(parsed.oauth_token).toBe("uiop");
    expect(parsed).toHaveProperty("oauth_nonce");
    expect(parsed).toHaveProperty("oauth_signature");
  }

  it("test_oauth10_redirect", () => expectOAuthRedirect("/oauth10/client/login"));
  it("test_oauth10_get_user", () => expectOAuthUser("/oauth10/client/login?oauth_token=zxcv"));
  it("test_oauth10_request_parameters", () => expectRequestParameters("/oauth10/client/request_params"));
  it("test_oauth10a_redirect", () => expectOAuthRedirect("/oauth10a/client/login"));

  it("test_oauth10a_redirect_error", async () => {
    OAuth1ServerRequestTokenHandler.fail = true;
    try {
      await ExpectLog.run(appLog, /Uncaught exception/, async () => {
        const response = await server.fetch("/oauth10a/client/login", { followRedirects: false });
        expect(response.code).toBe(500);
      });
    } finally {
      OAuth1ServerRequestTokenHandler.fail = false;
    }
  });

  it("test_oauth10a_get_user", () => expectOAuthUser("/oauth10a/client/login?oauth_token=zxcv"));
  it("test_oauth10a_request_parameters", () => expectRequestParameters("/oauth10a/client/request_params"));

  it("test_oauth10a_get_user_coroutine_exception", async () => {
    const response = await server.fetch("/oauth10a/client/login_coroutine?oauth_token=zxcv&fail_in_get_user=true", {
      headers: { Cookie: "_oauth_request_token=enhjdg==|MTIzNA==" },
    });
    expect(response.code).toBe(503);
  });

  it("test_oauth2_redirect", async () => {
    const response = await server.fetch("/oauth2/client/login", { followRedirects: false });
    expect(response.code).toBe(302);
    expect(response.headers.get("Location")).toContain("/oauth2/server/authorize?");
  });

  it("test_facebook_login", async () => {
    let response = await server.fetch("/facebook/client/login", { followRedirects: false });
    expect(response.code).toBe(302);
    expect(response.headers.get("Location")).toContain("/facebook/server/authorize?");
    response = await server.fetch("/facebook/client/login?code=1234", { followRedirects: false });
    expect(response.code).toBe(200);
    const user = JSON.parse(response.text);
    expect(user.access_token).toBe("asdf");
    expect(user.session_expires).toBe("3600");
  });

  it("test_twitter_redirect", () => expectOAuthRedirect("/twitter/client/login"));
  // Tornado's gen.coroutine variant is the same handler in a language with one kind of async function.
  it("test_twitter_redirect_gen_coroutine", () => expectOAuthRedirect("/twitter/client/login"));
  it("test_twitter_authenticate_redirect", () => expectOAuthRedirect("/twitter/client/authenticate", "/twitter/server/authenticate"));

  it("test_twitter_get_user", async () => {
    const response = await server.fetch("/twitter/client/login?oauth_token=zxcv", {
      headers: { Cookie: "_oauth_request_token=enhjdg==|MTIzNA==" },
    });
    response.rethrow();
    expect(JSON.parse(response.text)).toEqual({
      access_token: { key: "hjkl", screen_name: "foo", secret: "vbnm" },
      name: "Foo",
      screen_name: "foo",
      username: "foo",
    });
  });

  it("test_twitter_show_user", async () => {
    const response = await server.fetch("/twitter/client/show_user?name=somebody");
    response.rethrow();
    expect(JSON.parse(response.text)).toEqual({ name: "Somebody", screen_name: "somebody" });
  });

  it("test_twitter_show_user_error", async () => {
    const response = await server.fetch("/twitter/client/show_user?name=error");
    expect(response.code).toBe(500);
    expect(response.text).toBe("error from twitter request");
  });
});

