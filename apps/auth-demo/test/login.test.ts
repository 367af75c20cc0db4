// The whole login against the local oidc-provider (a real child process) with a real HTTP
// client that follows the redirects and fills in the provider's sign-in form: the session,
// the @authenticated page, and the logout that ends the provider's session too.
import { SESSION_COOKIE } from "../src/session";
import { bodyOf, Browser, formOf, logIn, signInAtProvider, useAuthDemo } from "./helpers/demo-fixture";

describe("logging in and out through the local provider", () => {
  const demo = useAuthDemo();
  let browser: Browser;
  beforeEach(() => {
    browser = new Browser();
  });
  afterEach(async () => {
    await browser.close();
  });

  it("offers OpenID Connect and the demo credentials to a visitor", async () => {
    const home = await browser.visit(`${demo().url}/`);
    expect(home.response!.code).toBe(200);
    const html = bodyOf(home);
    expect(html).toContain(`<a class="button oidc" id="login-oidc" href="/auth/login">Log in with OpenID Connect</a>`);
    expect(html).toMatch(/demo user: <strong>alice<\/strong>,\s+password <strong>wonderland<\/strong>/);
    expect(html).toContain(demo().issuer);
  });

  it("logs in with the demo user and shows the provider's claims", async () => {
    const visit = await logIn(browser, demo());
    expect(visit.url.href).toBe(`${demo().url}/`);
    expect(visit.response!.code).toBe(200);
    const html = bodyOf(visit);
    expect(html).toContain("<h1>Hello, Alice Liddell</h1>");
    expect(html).toContain(`<strong id="login-provider">OpenID Connect</strong>`);
    expect(html).toContain("alice@example.test");
    expect(html).toMatch(/<code>sub<\/code><\/th><td>alice<\/td>/);
    // It went out to the provider's authorization endpoint with PKCE and came back with code, state and iss.
    const authorize = new URL(visit.history.find((url) => url.startsWith(`${demo().issuer}/auth?`))!);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("scope")).toBe("openid email profile");
    const callback = new URL(visit.history.find((url) => url.startsWith(`${demo().url}/auth/login?`))!);
    expect([...callback.searchParams.keys()].sort()).toEqual(["code", "iss", "state"]);
    expect(callback.searchParams.get("iss")).toBe(demo().issuer);
    const cookies = browser.cookiesFor(`${demo().url}/`);
    expect(cookies.has(SESSION_COOKIE)).toBe(true);
    expect(cookies.has("_auth_flow")).toBe(false);
    // The callback URL works once.
    browser.setCookie(demo().url, SESSION_COOKIE, undefined);
    const replay = await browser.visit(callback);
    expect(replay.response!.code).toBe(400);
    expect(bodyOf(replay)).toContain("TORNADO_ERR_AUTH_FLOW_COOKIE_MISSING");
  });

  it("sends a visitor of @authenticated /profile to log in, then back to /profile", async () => {
    const visit = await logIn(browser, demo(), "/profile");
    expect(visit.url.href).toBe(`${demo().url}/profile`);
    expect(visit.history[1]).toBe(`${demo().url}/auth/login?next=%2Fprofile`);
    expect(bodyOf(visit)).toContain(`<dd id="profile-name">Alice Liddell</dd>`);
    expect(bodyOf(visit)).toContain("yes: the id_token is kept as the logout hint");
  });

  it("keeps a wrong password at the provider: 401 there, no session here", async () => {
    const atProvider = await browser.visit(`${demo().url}/auth/login`);
    const visit = await signInAtProvider(browser, atProvider, "alice", "not the password");
    expect(visit.response!.code).toBe(401);
    expect(visit.url.origin).toBe(demo().issuer);
    expect(bodyOf(visit)).toContain("Wrong user name or password.");
    expect(browser.cookiesFor(`${demo().url}/`).has(SESSION_COOKIE)).toBe(false);
  });

  it("logs out: asks on GET, refuses a POST without the XSRF token, clears the session and ends the provider's", async () => {
    await logIn(browser, demo());
    const confirm = await browser.visit(`${demo().url}/auth/logout`);
    expect(confirm.response!.code).toBe(200);
    expect(bodyOf(confirm)).toContain("<h1>Log out?</h1>");
    expect(browser.cookiesFor(`${demo().url}/`).has(SESSION_COOKIE)).toBe(true);

    const forged = await browser.request(`${demo().url}/auth/logout`, { form: {} });
    expect(forged.code).toBe(403);
    expect(browser.cookiesFor(`${demo().url}/`).has(SESSION_COOKIE)).toBe(true);

    const form = formOf(bodyOf(confirm), confirm.url, /^\/auth\/logout$/);
    expect(Object.keys(form.fields)).toEqual(["_xsrf"]);
    // POST: the cookie is cleared and the browser goes to the provider's end_session endpoint.
    const atProvider = await browser.visit(form.action, { form: form.fields });
    expect(browser.cookiesFor(`${demo().url}/`).has(SESSION_COOKIE)).toBe(false);
    const endSession = new URL(atProvider.history[1]!);
    expect(endSession.origin + endSession.pathname).toBe(`${demo().issuer}/session/end`);
    expect(endSession.searchParams.get("id_token_hint")).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(endSession.searchParams.get("post_logout_redirect_uri")).toBe(`${demo().url}/`);
    // The provider asks too; yes brings the browser back home, logged out.
    expect(atProvider.response!.code).toBe(200);
    const providerForm = formOf(bodyOf(atProvider), atProvider.url, /\/session\/end\/confirm$/);
    const home = await browser.visit(providerForm.action, { form: { ...providerForm.fields, logout: "yes" } });
    expect(home.url.href).toBe(`${demo().url}/`);
    expect(bodyOf(home)).toContain("Log in with OpenID Connect");

    // Logged out here: /profile wants a login; and there: the provider asks for the password again.
    const profile = await browser.visit(`${demo().url}/profile`);
    expect(profile.url.origin).toBe(demo().issuer);
    expect(bodyOf(profile)).toContain(`<input id="password" type="password" name="password" required>`);
  });

  it("logs in again without a password while the provider's session lasts (single sign-on)", async () => {
    await logIn(browser, demo());
    browser.setCookie(demo().url, SESSION_COOKIE, undefined);
    const again = await browser.visit(`${demo().url}/profile`);
    expect(again.url.href).toBe(`${demo().url}/profile`);
    expect(bodyOf(again)).toContain("Alice Liddell");
  });

  it("redirects a page asked for at another host name to the public URL, where the callback comes back", async () => {
    const other = demo().url.replace("127.0.0.1", "localhost");
    const response = await browser.request(`${other}/profile?x=1`);
    expect(response.code).toBe(302);
    expect(response.headers.get("Location")).toBe(`${demo().url}/profile?x=1`);
  });
});
