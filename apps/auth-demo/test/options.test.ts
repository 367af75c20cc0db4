// The command line and environment, and the session cookie's value.
import { parseOptions } from "../src/options";
import { displayName, parseSession, sessionCookieValue, type Session } from "../src/session";

describe("parseOptions", () => {
  it("defaults to port 8888 on 127.0.0.1, the local provider, no GitHub or Google", () => {
    expect(parseOptions([], {})).toEqual({
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

  it("takes --port over PORT, and the providers from the environment", () => {
    const options = parseOptions(["--port=9000", "--public_url=https://demo.example/"], {
      PORT: "7000",
      COOKIE_SECRET: "s",
      OIDC_ISSUER: "https://login.example",
      OIDC_CLIENT_ID: "id",
      GITHUB_CLIENT_ID: "gh",
      GITHUB_CLIENT_SECRET: "ghs",
      GOOGLE_CLIENT_ID: "go",
      GOOGLE_CLIENT_SECRET: "gos",
    });
    expect(options).toMatchObject({
      port: 9000,
      publicUrl: "https://demo.example",
      cookieSecret: "s",
      oidc: { issuer: "https://login.example", clientId: "id", clientSecret: undefined },
      github: { key: "gh", secret: "ghs" },
      google: { key: "go", secret: "gos" },
    });
  });

  it.each([
    [["--port=http"], {}, /--port must be a port number/],
    [["--port=70000"], {}, /--port must be a port number/],
    [[], { GITHUB_CLIENT_ID: "gh" }, /set both GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET, or neither/],
    [[], { GOOGLE_CLIENT_SECRET: "x" }, /set both GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET/],
    [[], { OIDC_ISSUER: "https://login.example" }, /OIDC_ISSUER needs OIDC_CLIENT_ID/],
    [[], { OIDC_ISSUER: "login.example", OIDC_CLIENT_ID: "id" }, /OIDC_ISSUER must be a URL/],
    [[], { OIDC_CLIENT_SECRET: "x" }, /need OIDC_ISSUER/],
    [["--public_url=https://demo.example/path"], {}, /--public_url must be an http\(s\) origin/],
    [["--nope"], {}, /Unknown option '--nope'/],
  ])("refuses %j %j", (argv, env, message) => {
    expect(() => parseOptions(argv, env)).toThrow(message);
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
