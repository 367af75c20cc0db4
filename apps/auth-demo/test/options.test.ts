// The options as startAuthDemo takes them (set here as a test sets Tornado's options, through
// mockable(); parsing and the environment are @tornado/ioloop's, and test/main.test.ts runs the
// program with both), and the session cookie's value.
import { OptionsError } from "@tornado/tornado";
import { demoOptions, options } from "../src/options";
import { displayName, parseSession, sessionCookieValue, type Session } from "../src/session";

/** Sets these options until the test ends (jest.restoreAllMocks in afterEach). */
function set(values: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(values)) jest.replaceProperty(options.mockable(), name, value);
}

describe("demoOptions", () => {
  afterEach(() => jest.restoreAllMocks());

  it("defaults to port 8888 on 127.0.0.1, the local provider, no GitHub or Google", () => {
    expect(demoOptions()).toEqual({
      port: 8888,
      address: "127.0.0.1",
      publicUrl: undefined,
      cookieSecret: undefined,
      oidc: undefined,
      github: undefined,
      google: undefined,
      providerPort: 0,
      debug: false,
    });
  });

  it("groups the providers' options and trims the public URL's slash", () => {
    set({
      port: 9000,
      public_url: "https://demo.example/",
      cookie_secret: "s",
      oidc_issuer: "https://login.example",
      oidc_client_id: "id",
      github_client_id: "gh",
      github_client_secret: "ghs",
      google_client_id: "go",
      google_client_secret: "gos",
    });
    expect(demoOptions()).toMatchObject({
      port: 9000,
      publicUrl: "https://demo.example",
      cookieSecret: "s",
      oidc: { issuer: "https://login.example", clientId: "id", clientSecret: undefined },
      github: { key: "gh", secret: "ghs" },
      google: { key: "go", secret: "gos" },
    });
  });

  it.each([
    [{ github_client_id: "gh" }, "set both --github_client_id and --github_client_secret (or GITHUB_CLIENT_ID and _SECRET), or neither"],
    [{ google_client_secret: "x" }, "set both --google_client_id and --google_client_secret (or GOOGLE_CLIENT_ID and _SECRET), or neither"],
    [{ oidc_issuer: "https://login.example" }, "--oidc_issuer (OIDC_ISSUER) needs --oidc_client_id (OIDC_CLIENT_ID)"],
    [{ oidc_issuer: "login.example", oidc_client_id: "id" }, '--oidc_issuer (OIDC_ISSUER) must be a URL, got "login.example"'],
    [{ oidc_client_secret: "x" }, "--oidc_client_id and --oidc_client_secret (OIDC_CLIENT_ID, OIDC_CLIENT_SECRET) need --oidc_issuer (OIDC_ISSUER)"],
    [{ public_url: "https://demo.example/path" }, '--public_url (PUBLIC_URL) must be an http(s) origin such as https://demo.example, got "https://demo.example/path"'],
  ])("refuses %j with an OptionsError", (values, message) => {
    set(values);
    expect(() => demoOptions()).toThrow(new OptionsError(message));
  });
});

describe("the session cookie's value", () => {
  const session: Session = { provider: "oidc", user: { sub: "alice", name: "Alice" }, idToken: "a.b.c", loginAt: 1 };

  it("round-trips, and refuses what is not a session", () => {
    expect(parseSession(sessionCookieValue(session))).toEqual(session);
    expect(parseSession("not json")).toBeNull();
    expect(parseSession(JSON.stringify({ ...session, provider: "myspace" }))).toBeNull();
    expect(parseSession(JSON.stringify({ ...session, user: null }))).toBeNull();
  });

  it("drops the id_token, then the non-essential claims, to fit a cookie", () => {
    const bigToken = { ...session, idToken: "x".repeat(3000) };
    expect(parseSession(sessionCookieValue(bigToken))).toEqual({ provider: "oidc", user: session.user, loginAt: 1 });
    const bigUser = { ...session, user: { ...session.user, groups: "g".repeat(3000) } };
    expect(parseSession(sessionCookieValue(bigUser))).toEqual({ provider: "oidc", user: { sub: "alice", name: "Alice" }, loginAt: 1 });
  });

  it("greets by name, else user name, login, email or sub", () => {
    expect(displayName({ name: "Alice", sub: "a" })).toBe("Alice");
    expect(displayName({ login: "octocat", name: null })).toBe("octocat");
    expect(displayName({ sub: "a" })).toBe("a");
  });
});
