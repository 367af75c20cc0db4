// The GitHub and Google buttons and routes exist only when their keys are set, and then start
// the mixins' logins: a redirect to the provider with the client id, state and PKCE, and the
// flow cookie. (The providers themselves are not reachable from the tests; @tornado/auth's own
// tests run both flows to the end against loopback servers speaking their endpoints.)
import { bodyOf, Browser, useAuthDemo } from "./helpers/demo-fixture";

describe("without GitHub or Google keys", () => {
  const demo = useAuthDemo();
  const browser = new Browser();
  afterAll(() => browser.close());

  it("shows only the OpenID Connect button, and /auth/github and /auth/google are 404", async () => {
    const html = bodyOf(await browser.visit(`${demo().url}/`));
    expect(html).toContain(`id="login-oidc"`);
    expect(html).not.toContain("login-github");
    expect(html).not.toContain("login-google");
    expect((await browser.request(`${demo().url}/auth/github`)).code).toBe(404);
    expect((await browser.request(`${demo().url}/auth/google`)).code).toBe(404);
  });
});

describe("with GitHub and Google keys", () => {
  const demo = useAuthDemo({
    github: { key: "github-client-id", secret: "github-client-secret" },
    google: { key: "google-client-id.apps.googleusercontent.com", secret: "google-client-secret" },
  });
  const browser = new Browser();
  afterAll(() => browser.close());

  it("shows the three buttons", async () => {
    const html = bodyOf(await browser.visit(`${demo().url}/`));
    expect(html).toContain(`<a class="button oidc" id="login-oidc" href="/auth/login">Log in with OpenID Connect</a>`);
    expect(html).toContain(`<a class="button github" id="login-github" href="/auth/github">Log in with GitHub</a>`);
    expect(html).toContain(`<a class="button google" id="login-google" href="/auth/google">Log in with Google</a>`);
  });

  it.each([
    ["/auth/github", "https://github.com/login/oauth/authorize", "github-client-id", "read:user user:email"],
    ["/auth/google", "https://accounts.google.com/o/oauth2/v2/auth", "google-client-id.apps.googleusercontent.com", "openid email profile"],
  ])("%s redirects to the provider with the client id, state and PKCE", async (path, endpoint, clientId, scope) => {
    const response = await browser.request(`${demo().url}${path}?next=%2Fprofile`);
    expect(response.code).toBe(302);
    const location = new URL(response.headers.get("Location")!);
    expect(`${location.origin}${location.pathname}`).toBe(endpoint);
    expect(location.searchParams.get("client_id")).toBe(clientId);
    expect(location.searchParams.get("redirect_uri")).toBe(`${demo().url}${path}`);
    expect(location.searchParams.get("scope")).toBe(scope);
    expect(location.searchParams.get("state")).toMatch(/^[\w-]{43}$/);
    expect(location.searchParams.get("code_challenge_method")).toBe("S256");
    expect(browser.cookiesFor(`${demo().url}/`).has("_auth_flow")).toBe(true);
  });
});
