/**
 * A whole OAuth 1.0a login with TwitterMixin against a loopback provider that verifies every
 * signature (request token, access token, API calls with a form body), with the request-token
 * cookie signed as it is by default; then the ways the callback can be wrong.
 */

import type { AsyncHTTPClient } from "@tornado/httpclient";
import { startHTTPTestServer, type HTTPTestServer } from "@tornado/testing";
import { Application, RequestHandler } from "@tornado/web";
import { TwitterMixin, type OAuthToken, type TwitterMembers } from "@tornado/auth";
import { CONSUMER, OAuth1Provider } from "./fixtures/oauth1-provider";
import { answerAuthError, type AuthErrorAnswer } from "./support/auth-error-answer";
import { Browser, type Visit } from "./support/browser";

let provider: OAuth1Provider;
let server: HTTPTestServer;
let browser: Browser;
let lastToken: OAuthToken | undefined;

function endpoints(handler: TwitterMembers): void {
  handler.OAUTH_REQUEST_TOKEN_URL = `${provider.url}/oauth/request_token`;
  handler.OAUTH_AUTHORIZE_URL = `${provider.url}/oauth/authorize`;
  handler.OAUTH_AUTHENTICATE_URL = `${provider.url}/oauth/authenticate`;
  handler.OAUTH_ACCESS_TOKEN_URL = `${provider.url}/oauth/access_token`;
  handler.TWITTER_BASE_URL = `${provider.url}/1.1`;
}

class TwitterLogin extends TwitterMixin(RequestHandler) {
  override initialize(): void {
    endpoints(this);
  }

  override getAuthHttpClient(): AsyncHTTPClient {
    return server.httpClient;
  }

  override async get(): Promise<void> {
    try {
      if (this.getArgument("oauth_token", null) === null && this.getArgument("denied", null) === null) {
        await this.authorizeRedirect({ callbackUri: "/login" });
        return;
      }
      const { user, tokens } = await this.getAuthenticatedLogin();
      lastToken = { key: tokens.accessToken, secret: tokens.tokenSecret! };
      this.setSignedCookie("user", String(user.username));
      this.write({ user, tokens: { accessToken: tokens.accessToken, hasSecret: tokens.tokenSecret !== undefined } });
    } catch (error) {
      await answerAuthError(this, error);
    }
  }
}

class Tweet extends TwitterLogin {
  override async post(): Promise<void> {
    this.write(await this.twitterRequest("/statuses/update", lastToken!, { status: this.getArgument("status") }));
  }
}

beforeAll(async () => {
  provider = await OAuth1Provider.start();
  const app = new Application(
    [
      ["/login", TwitterLogin],
      ["/tweet", Tweet],
    ],
    {
      cookieSecret: "twitter flow secret",
      twitterConsumerKey: CONSUMER.key,
      twitterConsumerSecret: CONSUMER.secret,
      logFunction: () => {},
    },
  );
  server = await startHTTPTestServer(app);
});

afterAll(async () => {
  await server?.stop();
  await provider?.close();
});

beforeEach(() => {
  browser = new Browser();
  provider.deny = false;
});

afterEach(async () => {
  await browser?.close();
});

const toApp = (url: URL): boolean => url.port === String(server.port) && url.searchParams.size > 0;

function failure(visit: Visit): AuthErrorAnswer {
  expect(visit.response!.code).toBe(401);
  expect(visit.response!.headers.getList("Set-Cookie").some((header) => header.startsWith("user="))).toBe(false);
  return JSON.parse(visit.response!.text) as AuthErrorAnswer;
}

it("signs in: every request the provider received carried a valid signature", async () => {
  const start = provider.verified.length;
  const first = await browser.visit(server.url("/login"), {}, (url) => url.port !== String(server.port));
  const cookie = first.response!.headers.getList("Set-Cookie").find((header) => header.startsWith("_oauth_request_token="))!;
  // Signed (Tornado's format 2: "2|1:0|..."), HttpOnly, SameSite=Lax, short-lived.
  expect(cookie).toMatch(/^_oauth_request_token="2\|1:0\|10:\d+\|20:_oauth_request_token\|/);
  expect(cookie).toMatch(/; HttpOnly/);
  expect(cookie).toMatch(/; Max-Age=600/);
  expect(cookie).toMatch(/; SameSite=Lax/);
  const visit = await browser.visit(first.url);
  expect(visit.response!.code).toBe(200);
  expect(JSON.parse(visit.response!.text)).toEqual({
    user: { id: 42, screen_name: "alice", name: "Alice", username: "alice" },
    tokens: { accessToken: expect.stringMatching(/^at-/), hasSecret: true },
  });
  expect(provider.verified.slice(start)).toEqual([
    { path: "/oauth/request_token", ok: true },
    { path: "/oauth/access_token", ok: true },
    { path: "/1.1/account/verify_credentials.json", ok: true },
  ]);
  expect(browser.cookiesFor(server.url("/login")).has("_oauth_request_token")).toBe(false);
});

it("signs an API POST with its form body (the provider checks it)", async () => {
  await browser.visit(server.url("/login"));
  const status = "Hello Ladies + Gentlemen, a signed OAuth request! ~é";
  const response = await browser.request(server.url("/tweet"), { form: { status } });
  expect(response.code).toBe(200);
  expect(JSON.parse(response.text)).toEqual({ id: 1, text: status });
  expect(provider.verified[provider.verified.length - 1]).toEqual({ path: "/1.1/statuses/update.json", ok: true });
});

it("a wrong consumer secret: the provider's 401 is TORNADO_ERR_AUTH_TOKEN_EXCHANGE at requestToken", async () => {
  const app = new Application([["/login", TwitterLogin]], {
    cookieSecret: "s",
    twitterConsumerKey: CONSUMER.key,
    twitterConsumerSecret: "not the secret",
    logFunction: () => {},
  });
  const other = await startHTTPTestServer(app);
  try {
    const answer = failure(await browser.visit(other.url("/login")));
    expect(answer).toMatchObject({ code: "TORNADO_ERR_AUTH_TOKEN_EXCHANGE", step: "requestToken", status: 401 });
  } finally {
    await other.stop();
  }
});

describe("a wrong callback gets its AuthError and no session", () => {
  async function untilCallback(): Promise<URL> {
    const visit = await browser.visit(server.url("/login"), {}, toApp);
    expect(visit.stopped).toBe(true);
    return visit.url;
  }

  it("no request-token cookie: TORNADO_ERR_AUTH_FLOW_COOKIE_MISSING", async () => {
    const callback = await untilCallback();
    browser.setCookie(callback, "_oauth_request_token", undefined);
    const answer = failure(await browser.visit(callback));
    expect(answer).toMatchObject({ code: "TORNADO_ERR_AUTH_FLOW_COOKIE_MISSING", message: "Missing OAuth request token cookie" });
  });

  it("an unsigned cookie of Tornado's form (forgeable): TORNADO_ERR_AUTH_FLOW_COOKIE_MISSING", async () => {
    const callback = await untilCallback();
    const token = callback.searchParams.get("oauth_token")!;
    browser.setCookie(callback, "_oauth_request_token", `${Buffer.from(token).toString("base64")}|${Buffer.from("guess").toString("base64")}`);
    expect(failure(await browser.visit(callback)).code).toBe("TORNADO_ERR_AUTH_FLOW_COOKIE_MISSING");
  });

  it("another request token than the cookie's: TORNADO_ERR_AUTH_STATE_MISMATCH", async () => {
    const callback = await untilCallback();
    callback.searchParams.set("oauth_token", "rt-someone-else");
    const answer = failure(await browser.visit(callback));
    expect(answer).toMatchObject({ code: "TORNADO_ERR_AUTH_STATE_MISMATCH", message: "Request token does not match cookie" });
  });

  it("the user cancels at the provider (denied=): TORNADO_ERR_AUTH_AUTHORIZATION_DENIED", async () => {
    provider.deny = true;
    const answer = failure(await browser.visit(server.url("/login")));
    expect(answer).toMatchObject({ code: "TORNADO_ERR_AUTH_AUTHORIZATION_DENIED", step: "callback" });
  });
});
