/**
 * GoogleOAuth2Mixin, FacebookGraphMixin and GitHubOAuth2Mixin with their safe defaults (state
 * and PKCE in the flow cookie, the token in the Authorization header) against loopback servers
 * that speak each provider's documented endpoints; the uniform `{ user, tokens }` result; the
 * provider's own error surfacing in the AuthError; oauth2Request's two token placements.
 */

import type { AsyncHTTPClient } from "@tornado/httpclient";
import { genLog } from "@tornado/ioloop";
import { ExpectLog, startHTTPTestServer, type HTTPTestServer } from "@tornado/testing";
import { Application, RequestHandler } from "@tornado/web";
import {
  FacebookGraphMixin,
  GitHubOAuth2Mixin,
  GoogleOAuth2Mixin,
  OAuth2Mixin,
  type AuthLogin,
  type RequestHandlerBase,
} from "@tornado/auth";
import { CLIENTS, OAuth2Providers } from "./fixtures/oauth2-providers";
import { answerAuthError, type AuthErrorAnswer } from "./support/auth-error-answer";
import { Browser, type Visit } from "./support/browser";

let providers: OAuth2Providers;
let server: HTTPTestServer;
let browser: Browser;

/** A login handler for any of the three: starts the flow, or answers the uniform result as JSON. */
function loginHandler<Base extends RequestHandlerBase>(base: Base, finish: (handler: InstanceType<Base>) => Promise<AuthLogin>) {
  abstract class Login extends base {
    // Every provider mixin has it; `base` is any handler class here.
    getAuthHttpClient(): AsyncHTTPClient {
      return server.httpClient;
    }

    override async get(): Promise<void> {
      try {
        if (this.getArgument("code", null) === null && this.getArgument("error", null) === null) {
          const returnTo = this.getArgument("next", undefined);
          await (this as unknown as { authorizeRedirect(options: object): Promise<void> }).authorizeRedirect({ scope: ["openid", "email"], returnTo });
          return;
        }
        this.write((await finish(this as unknown as InstanceType<Base>)) as unknown as Record<string, unknown>);
      } catch (error) {
        await answerAuthError(this, error);
      }
    }
  }
  return Login;
}

class GoogleLogin extends loginHandler(GoogleOAuth2Mixin(RequestHandler), (handler) => handler.getAuthenticatedLogin()) {
  override initialize(): void {
    this.OAUTH_AUTHORIZE_URL = `${providers.url}/google/o/oauth2/v2/auth`;
    this.OAUTH_ACCESS_TOKEN_URL = `${providers.url}/google/token`;
    this.OAUTH_USERINFO_URL = `${providers.url}/google/userinfo`;
  }
}

class FacebookLogin extends loginHandler(FacebookGraphMixin(RequestHandler), (handler) => handler.getAuthenticatedLogin()) {
  override initialize(): void {
    this.OAUTH_AUTHORIZE_URL = `${providers.url}/facebook/dialog/oauth`;
    this.OAUTH_ACCESS_TOKEN_URL = `${providers.url}/facebook/oauth/access_token`;
    this.FACEBOOK_BASE_URL = `${providers.url}/facebook`;
  }
}

class GitHubLogin extends loginHandler(GitHubOAuth2Mixin(RequestHandler), (handler) => handler.getAuthenticatedUser()) {
  override initialize(): void {
    this.OAUTH_AUTHORIZE_URL = `${providers.url}/github/login/oauth/authorize`;
    this.OAUTH_ACCESS_TOKEN_URL = `${providers.url}/github/login/oauth/access_token`;
    this.GITHUB_API_URL = `${providers.url}/github/api`;
  }
}

class Echo extends OAuth2Mixin(RequestHandler) {
  OAUTH_AUTHORIZE_URL = "unused";
  OAUTH_ACCESS_TOKEN_URL = "unused";

  override getAuthHttpClient(): AsyncHTTPClient {
    return server.httpClient;
  }

  override async get(): Promise<void> {
    this.OAUTH2_TOKEN_IN_QUERY = this.getArgument("inQuery", "") === "yes";
    const token = this.getArgument("token", "") || null;
    this.write(await this.oauth2Request<Record<string, unknown>>(`${providers.url}/echo`, token, null, { fields: "a,b" }));
  }

  override async post(): Promise<void> {
    this.write(await this.oauth2Request<Record<string, unknown>>(`${providers.url}/echo`, "tok", { message: "hi there" }));
  }
}

beforeAll(async () => {
  providers = await OAuth2Providers.start();
  server = await startHTTPTestServer(
    new Application(
      [
        ["/google", GoogleLogin],
        ["/facebook", FacebookLogin],
        ["/github", GitHubLogin],
        ["/echo", Echo],
      ],
      {
        cookieSecret: "providers test secret",
        googleOauth: CLIENTS.google,
        githubOauth: CLIENTS.github,
        facebookApiKey: CLIENTS.facebook.key,
        facebookSecret: CLIENTS.facebook.secret,
        logFunction: () => {},
      },
    ),
  );
});

afterAll(async () => {
  await server?.stop();
  await providers?.close();
});

beforeEach(() => {
  browser = new Browser();
  providers.deny = false;
});

afterEach(async () => {
  await browser?.close();
});

function success(visit: Visit): AuthLogin {
  expect(visit.response!.code).toBe(200);
  return JSON.parse(visit.response!.text) as AuthLogin;
}

function failure(visit: Visit): AuthErrorAnswer {
  expect(visit.response!.code).toBe(401);
  return JSON.parse(visit.response!.text) as AuthErrorAnswer;
}

describe("Google", () => {
  it("signs in with state and PKCE; the token goes in the Authorization header; returnTo comes back", async () => {
    const login = success(await browser.visit(server.url("/google?next=%2Fdashboard%3Ftab%3D1")));
    expect(login).toEqual({
      user: { id: "1234", email: "ada@example.test", verified_email: true, name: "Ada" },
      tokens: expect.objectContaining({ accessToken: expect.any(String), tokenType: "Bearer", expiresIn: 3599, scope: "openid email" }),
      returnTo: "/dashboard?tab=1",
    });
    const authorize = providers.last("/google/o/oauth2/v2/auth")!;
    expect(authorize.query).toMatchObject({
      response_type: "code",
      client_id: CLIENTS.google.key,
      redirect_uri: server.url("/google"),
      scope: "openid email",
      code_challenge_method: "S256",
    });
    expect(providers.last("/google/token")!.form).toMatchObject({ grant_type: "authorization_code", code_verifier: expect.any(String) });
    expect(providers.last("/google/userinfo")!.authorization).toBe(`Bearer ${login.tokens.accessToken}`);
    expect(providers.last("/google/userinfo")!.query).toEqual({});
  });

  it("the user denies: TORNADO_ERR_AUTH_AUTHORIZATION_DENIED with access_denied", async () => {
    providers.deny = true;
    expect(failure(await browser.visit(server.url("/google")))).toMatchObject({
      code: "TORNADO_ERR_AUTH_AUTHORIZATION_DENIED",
      providerError: "access_denied",
      message: "the provider refused the authorization: access_denied (The user denied your request)",
    });
  });

  it("a tampered state: TORNADO_ERR_AUTH_STATE_MISMATCH, and the provider never sees the code", async () => {
    const stop = await browser.visit(server.url("/google"), {}, (url) => url.port === String(server.port) && url.searchParams.has("code"));
    stop.url.searchParams.set("state", "forged");
    const before = providers.seen.length;
    expect(failure(await browser.visit(stop.url)).code).toBe("TORNADO_ERR_AUTH_STATE_MISMATCH");
    expect(providers.seen.length).toBe(before);
  });

  it("an open redirect as returnTo is refused with 400", async () => {
    const visit = await ExpectLog.run(genLog, /returnTo must be a path on this site, got '\/\/evil.example\/'/, () =>
      browser.visit(server.url(`/google?next=${encodeURIComponent("//evil.example/")}`)),
    );
    expect(visit.response!.code).toBe(400);
  });
});

describe("Facebook", () => {
  it("signs in; /me is read with appsecret_proof and the requested fields", async () => {
    const login = success(await browser.visit(server.url("/facebook")));
    expect(login.user).toEqual({ id: "10", name: "Grace Hopper", first_name: "Grace", last_name: "Hopper" });
    expect(login.tokens).toMatchObject({ tokenType: "bearer", expiresIn: 5183944 });
    expect(providers.last("/facebook/me")!.query.fields).toBe("id,name,first_name,last_name,locale,picture,link");
  });

  it("Graph's error object surfaces in the AuthError (TORNADO_ERR_AUTH_TOKEN_EXCHANGE)", async () => {
    const stop = await browser.visit(server.url("/facebook"), {}, (url) => url.port === String(server.port) && url.searchParams.has("code"));
    stop.url.searchParams.set("code", "expired-code");
    expect(failure(await browser.visit(stop.url))).toMatchObject({
      code: "TORNADO_ERR_AUTH_TOKEN_EXCHANGE",
      status: 400,
      providerError: "OAuthException",
      message: "the token request failed (HTTP 400): OAuthException (The code passed is incorrect or expired.)",
    });
  });
});

describe("GitHub", () => {
  it("signs in; the hidden email comes from /user/emails (primary, verified)", async () => {
    const login = success(await browser.visit(server.url("/github")));
    expect(login.user).toEqual({ login: "octocat", id: 1, name: "The Octocat", email: "octocat@github.com" });
    expect(login.tokens).toMatchObject({ tokenType: "bearer", scope: "read:user,user:email" });
  });

  it("GitHub's error answered with 200 is still TORNADO_ERR_AUTH_TOKEN_EXCHANGE, with its error", async () => {
    const stop = await browser.visit(server.url("/github"), {}, (url) => url.port === String(server.port) && url.searchParams.has("code"));
    stop.url.searchParams.set("code", "wrong");
    expect(failure(await browser.visit(stop.url))).toMatchObject({
      code: "TORNADO_ERR_AUTH_TOKEN_EXCHANGE",
      status: 200,
      providerError: "bad_verification_code",
    });
  });
});

describe("oauth2Request", () => {
  it("sends the token in the Authorization header by default", async () => {
    const response = await browser.request(server.url("/echo?token=tok"));
    expect(JSON.parse(response.text)).toEqual({ authorization: "Bearer tok", query: { fields: "a,b" }, form: {} });
  });

  it("sends it as ?access_token= with OAUTH2_TOKEN_IN_QUERY (Tornado's form)", async () => {
    const response = await browser.request(server.url("/echo?token=tok&inQuery=yes"));
    expect(JSON.parse(response.text)).toEqual({ authorization: null, query: { access_token: "tok", fields: "a,b" }, form: {} });
  });

  it("keeps the query arguments without a token (Tornado drops them)", async () => {
    const response = await browser.request(server.url("/echo"));
    expect(JSON.parse(response.text)).toEqual({ authorization: null, query: { fields: "a,b" }, form: {} });
  });

  it("POSTs postArgs as a form", async () => {
    const response = await browser.request(server.url("/echo"), { method: "POST", form: {} });
    expect(JSON.parse(response.text)).toEqual({ authorization: "Bearer tok", query: {}, form: { message: "hi there" } });
  });
});
