/**
 * OpenIdConnectMixin against a real provider: oidc-provider in a child process on 127.0.0.1,
 * signed in to through its own login and consent pages by a scripted browser that follows
 * redirects and keeps cookies. Then every way a callback can be wrong, each with its AuthError
 * code and no session cookie.
 */

import { createServer } from "node:net";
import { Browser, type Visit } from "./support/browser";
import { startLoginApp, type AuthErrorAnswer, type LoginApp } from "./support/login-app";
import { startOidcProvider, type ProviderProcess } from "./support/oidc-provider-process";

const CLIENT_SECRET = "tornado-app-secret-of-at-least-32-characters";

let login: LoginApp;
let provider: ProviderProcess;
let browser: Browser;

beforeAll(async () => {
  login = await startLoginApp();
  provider = await startOidcProvider(login.server.url("/login"), login.server.url("/logged-out"));
  login.configure({
    issuer: provider.issuer,
    clientId: "tornado-app",
    clientSecret: CLIENT_SECRET,
    redirectUri: login.server.url("/login"),
    postLogoutRedirectUri: login.server.url("/logged-out"),
  });
}, 60000);

afterAll(async () => {
  await provider?.stop();
  await login?.stop();
});

beforeEach(() => {
  browser = new Browser();
});

afterEach(async () => {
  await browser?.close();
});

const toProvider = (url: URL): boolean => url.port === String(provider.port);
const toCallback = (url: URL): boolean => url.port === String(login.server.port) && url.pathname === "/login" && url.searchParams.has("iss");

/** From the app's /login to the provider's login page. */
async function startLogin(path = "/login"): Promise<Visit> {
  const visit = await browser.visit(login.server.url(path));
  expect(visit.response!.code).toBe(200);
  expect(visit.url.pathname).toMatch(/^\/interaction\//);
  expect(visit.response!.text).toContain('name="login"');
  return visit;
}

/** Signs in as `name` and consents; stops before the callback reaches the app. */
async function signInUntilCallback(name = "alice", start?: Visit): Promise<URL> {
  const loginPage = start ?? (await startLogin());
  const consent = await browser.visit(loginPage.url, { form: { prompt: "login", login: name, password: "any" } });
  expect(consent.response!.text).toContain('name="prompt" value="consent"');
  const callback = await browser.visit(consent.url, { form: { prompt: "consent" } }, toCallback);
  expect(callback.stopped).toBe(true);
  return callback.url;
}

function answerOf(visit: Visit): AuthErrorAnswer {
  expect(visit.response!.code).toBe(401);
  return JSON.parse(visit.response!.text) as AuthErrorAnswer;
}

function expectNoSession(visit: Visit): void {
  const setCookies = visit.response!.headers.getList("Set-Cookie");
  expect(setCookies.filter((header) => header.startsWith("user="))).toEqual([]);
  expect(browser.cookiesFor(login.server.url("/home")).has("user")).toBe(false);
}

describe("a real login against oidc-provider", () => {
  it("signs in at the provider's pages and lands back logged in, at the page it asked for", async () => {
    const home = await browser.visit(login.server.url("/home"), {}, toProvider);
    // The app sent the browser to the provider, with the flow cookie set.
    const redirect = home.response!;
    expect(redirect.code).toBe(302);
    const authorization = home.url;
    expect(authorization.origin + authorization.pathname).toBe(`${provider.issuer}/auth`);
    expect(authorization.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorization.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorization.searchParams.get("state")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorization.searchParams.get("nonce")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorization.searchParams.get("scope")).toBe("openid email profile");
    const flowCookie = redirect.headers.getList("Set-Cookie").find((header) => header.startsWith("_auth_flow="))!;
    expect(flowCookie).toMatch(/; HttpOnly/);
    expect(flowCookie).toMatch(/; Max-Age=600/);
    expect(flowCookie).toMatch(/; Path=\//);
    expect(flowCookie).toMatch(/; SameSite=Lax/);

    const loginPage = await browser.visit(authorization);
    const callback = await signInUntilCallback("alice", loginPage);
    expect(callback.searchParams.get("iss")).toBe(provider.issuer);
    const landed = await browser.visit(callback);
    expect(landed.url.pathname).toBe("/home");
    expect(landed.response!.code).toBe(200);
    const { user } = JSON.parse(landed.response!.text) as { user: Record<string, unknown> };
    expect(user).toEqual({ sub: "alice", email: "alice@example.test", email_verified: true, name: "alice" });
    // The flow cookie is gone: the callback URL works once.
    expect(browser.cookiesFor(login.server.url("/login")).has("_auth_flow")).toBe(false);

    const { tokens } = login.logins[login.logins.length - 1]!;
    expect(tokens.tokenType).toBe("Bearer");
    expect(tokens.idTokenClaims).toMatchObject({ iss: provider.issuer, aud: "tornado-app", sub: "alice" });
    expect(tokens.refreshToken).toEqual(expect.any(String));
    expect(tokens.expiresIn).toBeGreaterThan(0);
  });

  it("refreshes the tokens of the login, verifying the new id_token's subject", async () => {
    await browser.visit(await signInUntilCallback("bob"));
    const response = await browser.request(login.server.url("/refresh"));
    expect(response.code).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ accessToken: expect.any(String), refreshed: true, sub: "bob" });
  });

  it("logs out at the provider (RP-initiated logout) and comes back with its state", async () => {
    await browser.visit(await signInUntilCallback("carol"));
    const confirm = await browser.visit(login.server.url("/logout"));
    expect(confirm.url.origin + confirm.url.pathname).toBe(`${provider.issuer}/session/end`);
    const url = new URL(confirm.history.find((href) => href.startsWith(`${provider.issuer}/session/end?`))!);
    expect(url.searchParams.get("client_id")).toBe("tornado-app");
    expect(url.searchParams.get("post_logout_redirect_uri")).toBe(login.server.url("/logged-out"));
    expect(url.searchParams.get("id_token_hint")).toBe(login.logins[login.logins.length - 1]!.tokens.idToken);
    const action = /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(confirm.response!.text)![1]!;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.response!.text)![1]!;
    const done = await browser.visit(new URL(action, confirm.url), { form: { xsrf, logout: "yes" } });
    expect(done.url.pathname).toBe("/logged-out");
    expect(done.response!.text).toBe("logged out (bye)");
    expect(browser.cookiesFor(login.server.url("/home")).has("user")).toBe(false);
  });
});

describe("a callback that is wrong gets its AuthError and no session", () => {
  it("tampered state: TORNADO_ERR_AUTH_STATE_MISMATCH", async () => {
    const callback = await signInUntilCallback();
    callback.searchParams.set("state", "A".repeat(43));
    const visit = await browser.visit(callback);
    expect(answerOf(visit)).toMatchObject({ code: "TORNADO_ERR_AUTH_STATE_MISMATCH", step: "callback" });
    expectNoSession(visit);
  });

  it("missing flow cookie: TORNADO_ERR_AUTH_FLOW_COOKIE_MISSING", async () => {
    const callback = await signInUntilCallback();
    browser.setCookie(callback, "_auth_flow", undefined);
    const visit = await browser.visit(callback);
    expect(answerOf(visit)).toMatchObject({ code: "TORNADO_ERR_AUTH_FLOW_COOKIE_MISSING", step: "callback" });
    expectNoSession(visit);
  });

  it("forged flow cookie: TORNADO_ERR_AUTH_FLOW_COOKIE_MISSING", async () => {
    const callback = await signInUntilCallback();
    const state = callback.searchParams.get("state")!;
    browser.setCookie(callback, "_auth_flow", `"${JSON.stringify({ state }).replace(/"/g, '\\"')}"`);
    const visit = await browser.visit(callback);
    expect(answerOf(visit)).toMatchObject({ code: "TORNADO_ERR_AUTH_FLOW_COOKIE_MISSING" });
    expect(answerOf(visit).message).toMatch(/not signed with this cookieSecret/);
    expectNoSession(visit);
  });

  it("replayed callback: the flow cookie is gone (TORNADO_ERR_AUTH_FLOW_COOKIE_MISSING)", async () => {
    const callback = await signInUntilCallback();
    expect((await browser.visit(callback)).response!.code).toBe(200);
    browser.setCookie(callback, "user", undefined);
    const visit = await browser.visit(callback);
    expect(answerOf(visit)).toMatchObject({ code: "TORNADO_ERR_AUTH_FLOW_COOKIE_MISSING" });
    expectNoSession(visit);
  });

  it("replayed code with its flow cookie: the provider refuses it (TORNADO_ERR_AUTH_TOKEN_EXCHANGE, invalid_grant)", async () => {
    const callback = await signInUntilCallback();
    const flowCookie = browser.cookiesFor(callback).get("_auth_flow")!;
    expect((await browser.visit(callback)).response!.code).toBe(200);
    browser.setCookie(callback, "user", undefined);
    browser.setCookie(callback, "_auth_flow", flowCookie);
    const visit = await browser.visit(callback);
    expect(answerOf(visit)).toMatchObject({
      code: "TORNADO_ERR_AUTH_TOKEN_EXCHANGE",
      step: "token",
      status: 400,
      providerError: "invalid_grant",
    });
    expectNoSession(visit);
  });

  it("wrong nonce (the authorization request's nonce replaced): TORNADO_ERR_AUTH_ID_TOKEN_INVALID", async () => {
    const redirect = await browser.visit(login.server.url("/login"), {}, toProvider);
    redirect.url.searchParams.set("nonce", "n".repeat(43));
    const callback = await signInUntilCallback("alice", await browser.visit(redirect.url));
    const visit = await browser.visit(callback);
    const answer = answerOf(visit);
    expect(answer).toMatchObject({ code: "TORNADO_ERR_AUTH_ID_TOKEN_INVALID", step: "idToken" });
    expect(answer.message).toMatch(/nonce/);
    expectNoSession(visit);
  });

  it("RFC 9207: an iss other than the issuer, or none, is TORNADO_ERR_AUTH_ISSUER_MISMATCH", async () => {
    for (const iss of ["http://127.0.0.1:1/other", null]) {
      // A new browser each time: no provider session, so the login pages come again.
      await browser.close();
      browser = new Browser();
      const callback = await signInUntilCallback();
      if (iss === null) callback.searchParams.delete("iss");
      else callback.searchParams.set("iss", iss);
      const visit = await browser.visit(callback);
      expect(answerOf(visit)).toMatchObject({ code: "TORNADO_ERR_AUTH_ISSUER_MISMATCH", step: "callback" });
      expectNoSession(visit);
    }
  });

  it("user denies consent: TORNADO_ERR_AUTH_AUTHORIZATION_DENIED with the provider's access_denied", async () => {
    const loginPage = await startLogin();
    const consent = await browser.visit(loginPage.url, { form: { prompt: "login", login: "alice", password: "any" } });
    const abort = /href="([^"]*\/abort)"/.exec(consent.response!.text)![1]!;
    const visit = await browser.visit(new URL(abort, consent.url));
    expect(visit.url.searchParams.get("error")).toBe("access_denied");
    expect(answerOf(visit)).toMatchObject({
      code: "TORNADO_ERR_AUTH_AUTHORIZATION_DENIED",
      step: "callback",
      providerError: "access_denied",
    });
    expectNoSession(visit);
  });

  it("provider unreachable at discovery: TORNADO_ERR_AUTH_PROVIDER_UNREACHABLE", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const settings = login.app.settings.openidConnect!;
    login.configure({ ...settings, issuer: `http://127.0.0.1:${port}` });
    try {
      const visit = await browser.visit(login.server.url("/login"));
      expect(answerOf(visit)).toMatchObject({ code: "TORNADO_ERR_AUTH_PROVIDER_UNREACHABLE", step: "discovery" });
      expectNoSession(visit);
    } finally {
      login.configure(settings);
    }
  });

  // Last: it stops the provider.
  it("provider unreachable at the token endpoint: TORNADO_ERR_AUTH_PROVIDER_UNREACHABLE", async () => {
    const callback = await signInUntilCallback();
    await provider.stop();
    const visit = await browser.visit(callback);
    expect(answerOf(visit)).toMatchObject({ code: "TORNADO_ERR_AUTH_PROVIDER_UNREACHABLE", step: "token" });
    expectNoSession(visit);
  });
});
