// A login that fails answers the error page with the AuthError's code and the status its
// cause calls for (400: the browser's request; 401: the user said no; 502: the provider), logs
// one WARNING line, and leaves no session: a tampered state or iss, a missing, replayed or
// expired flow cookie, a cancel at the provider, a provider that does not answer.
import { createServer } from "node:net";
import { accessLog, createSignedValue, decodeSignedValue, ExpectLog, genLog, LogLevel } from "@tornado/tornado";
import { SESSION_COOKIE } from "../src/session";
import { bodyOf, Browser, COOKIE_SECRET, formOf, signInAtProvider, useAuthDemo, type Visit } from "./helpers/demo-fixture";

const FLOW_COOKIE = "_auth_flow";

function errorCodeOf(visit: Visit): string | undefined {
  return /<code id="error-code">([A-Z_]+)<\/code>/.exec(bodyOf(visit))?.[1];
}

describe("failed logins with the local provider", () => {
  const demo = useAuthDemo();
  let browser: Browser;
  beforeEach(() => {
    browser = new Browser();
  });
  afterEach(async () => {
    await browser.close();
  });

  /** Signs in at the provider and stops before the browser reaches the demo's callback; resolves with the callback URL. */
  async function callbackUrl(): Promise<URL> {
    const atProvider = await browser.visit(`${demo().url}/auth/login`);
    const isCallback = (next: URL): boolean => next.href.startsWith(`${demo().url}/auth/login?`) && next.searchParams.has("code");
    const stopped = await signInAtProvider(browser, atProvider, "alice", "wonderland", isCallback);
    expect(stopped.stopped).toBe(true);
    return stopped.url;
  }

  /** Visits the callback expecting a failed login logged at WARNING; resolves with the error page. */
  async function failingCallback(url: URL, code: string): Promise<Visit> {
    const visit = await ExpectLog.run(genLog, new RegExp(`^login failed, [0-9]{3} GET /auth/login\\?.*: ${code}: `), () => browser.visit(url), { level: LogLevel.WARNING });
    expect(errorCodeOf(visit)).toBe(code);
    expect(browser.cookiesFor(`${demo().url}/`).has(SESSION_COOKIE)).toBe(false);
    return visit;
  }

  it("refuses a tampered state: 400 TORNADO_ERR_AUTH_STATE_MISMATCH", async () => {
    const genuine = await callbackUrl();
    const url = new URL(genuine);
    const state = url.searchParams.get("state")!;
    url.searchParams.set("state", `${state.slice(0, -1)}${state.endsWith("A") ? "B" : "A"}`);
    const visit = await failingCallback(url, "TORNADO_ERR_AUTH_STATE_MISMATCH");
    expect(visit.response!.code).toBe(400);
    expect(bodyOf(visit)).toContain(`<dd id="error-status">400</dd>`);
    expect(bodyOf(visit)).toContain("is not the one this browser&#x27;s sign-in asked for");
    // The flow cookie went with the failure: the genuine callback no longer works either.
    expect((await failingCallback(genuine, "TORNADO_ERR_AUTH_FLOW_COOKIE_MISSING")).response!.code).toBe(400);
  });

  it("refuses another issuer's iss (RFC 9207): 400 TORNADO_ERR_AUTH_ISSUER_MISMATCH", async () => {
    const url = await callbackUrl();
    url.searchParams.set("iss", "https://evil.example");
    const visit = await failingCallback(url, "TORNADO_ERR_AUTH_ISSUER_MISMATCH");
    expect(visit.response!.code).toBe(400);
  });

  it("refuses a callback without the flow cookie (another browser): 400 TORNADO_ERR_AUTH_FLOW_COOKIE_MISSING", async () => {
    const url = await callbackUrl();
    browser.setCookie(demo().url, FLOW_COOKIE, undefined);
    const visit = await failingCallback(url, "TORNADO_ERR_AUTH_FLOW_COOKIE_MISSING");
    expect(visit.response!.code).toBe(400);
    expect(bodyOf(visit)).toContain("took longer than 10 minutes");
  });

  it("refuses an expired flow cookie (signed 601 seconds ago): 400 TORNADO_ERR_AUTH_FLOW_COOKIE_MISSING", async () => {
    const url = await callbackUrl();
    // The same flow, signed as if the login had started 601 seconds ago (the Set-Cookie value is quoted: it has "|").
    const signed = browser.cookiesFor(`${demo().url}/`).get(FLOW_COOKIE)!.replace(/^"(.*)"$/, "$1");
    const flow = decodeSignedValue(COOKIE_SECRET, FLOW_COOKIE, signed)!.toString("utf8");
    const old = createSignedValue(COOKIE_SECRET, FLOW_COOKIE, flow, { clock: () => Date.now() / 1000 - 601 });
    browser.setCookie(demo().url, FLOW_COOKIE, `"${old}"`);
    const visit = await ExpectLog.run(genLog, /[Ee]xpired cookie/, () => failingCallback(url, "TORNADO_ERR_AUTH_FLOW_COOKIE_MISSING"), { required: false });
    expect(visit.response!.code).toBe(400);
    expect(bodyOf(visit)).toContain("cookie is older than 600 seconds");
  });

  it("answers a cancel at the provider with 401 TORNADO_ERR_AUTH_AUTHORIZATION_DENIED and the provider's error", async () => {
    const atProvider = await browser.visit(`${demo().url}/auth/login`);
    const cancel = formOf(bodyOf(atProvider), atProvider.url, /\/abort$/);
    const visit = await ExpectLog.run(genLog, /login failed, 401 .*TORNADO_ERR_AUTH_AUTHORIZATION_DENIED: /, () => browser.visit(cancel.action, { form: cancel.fields }), { level: LogLevel.WARNING });
    expect(visit.url.origin).toBe(demo().url);
    expect(visit.response!.code).toBe(401);
    expect(errorCodeOf(visit)).toBe("TORNADO_ERR_AUTH_AUTHORIZATION_DENIED");
    expect(bodyOf(visit)).toContain("<code>access_denied</code>: The user cancelled the sign-in");
  });

  it("answers the provider's refusal of the code exchange with 502 TORNADO_ERR_AUTH_TOKEN_EXCHANGE and its error", async () => {
    const url = await callbackUrl();
    const settings = demo().app.settings.openidConnect!;
    const secret = settings.clientSecret;
    settings.clientSecret = "not the client's secret";
    try {
      const visit = await ExpectLog.run(accessLog, /^502 GET \/auth\/login\?/, () => failingCallback(url, "TORNADO_ERR_AUTH_TOKEN_EXCHANGE"), { level: LogLevel.WARNING });
      expect(visit.response!.code).toBe(502);
      expect(bodyOf(visit)).toContain("<dt>Provider said</dt><dd><code>invalid_client</code>");
      expect(bodyOf(visit)).toContain("<dt>Step</dt><dd>token</dd>");
    } finally {
      settings.clientSecret = secret;
    }
  });

  it("refuses a next that leaves the site (an open redirect): 400 before going to the provider", async () => {
    const response = await ExpectLog.run(genLog, /returnTo must be a path on this site, got '\/\/evil.example'/, () =>
      browser.request(`${demo().url}/auth/login?next=${encodeURIComponent("//evil.example")}`),
    );
    expect(response.code).toBe(400);
    expect(response.headers.get("Location")).toBeUndefined();
    expect(browser.cookiesFor(`${demo().url}/`).has(FLOW_COOKIE)).toBe(false);
  });
});

describe("a provider that does not answer", () => {
  let closedPort = 0;
  beforeAll(async () => {
    // A port that was free a moment ago and has nothing listening now.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closedPort = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const demo = useAuthDemo({ oidc: { issuer: "http://127.0.0.1:1", clientId: "demo", clientSecret: "secret" } });

  it("answers 502 TORNADO_ERR_AUTH_PROVIDER_UNREACHABLE, logged at WARNING, access log included", async () => {
    demo().app.settings.openidConnect!.issuer = `http://127.0.0.1:${closedPort}`;
    const browser = new Browser();
    try {
      const errors = new ExpectLog(accessLog, /./, { level: LogLevel.ERROR, required: false }).start();
      const visit = await ExpectLog.run(accessLog, /^502 GET \/auth\/login /, () =>
        ExpectLog.run(genLog, /login failed, 502 GET \/auth\/login .*TORNADO_ERR_AUTH_PROVIDER_UNREACHABLE/, () => browser.visit(`${demo().url}/auth/login`), { level: LogLevel.WARNING }),
      { level: LogLevel.WARNING });
      errors.finish();
      expect(errors.matched).toBe(0);
      expect(visit.response!.code).toBe(502);
      expect(errorCodeOf(visit)).toBe("TORNADO_ERR_AUTH_PROVIDER_UNREACHABLE");
      expect(bodyOf(visit)).toContain("could not be reached");
      expect(demo().localProvider).toBeNull();
    } finally {
      await browser.close();
    }
  });
});
