/**
 * What a real provider never sends, from a loopback provider told to send it (tokens signed
 * with jose): every id_token, callback, token and userinfo failure gets its AuthError code,
 * names what was wrong, and sets no session.
 */

import { AuthConfigError, type OpenIdConnectSettings } from "@tornado/auth";
import type { JWTPayload } from "jose";
import { FIXTURE_SUBJECT, OidcFixture, type FixtureBehaviour } from "./fixtures/oidc-fixture";
import { Browser, type Visit } from "./support/browser";
import { startLoginApp, type AuthErrorAnswer, type LoginApp } from "./support/login-app";

const CLIENT_ID = "fixture-app";
const CLIENT_SECRET = "fixture-app-secret-of-at-least-32-characters";

let login: LoginApp;
let fixture: OidcFixture;
let browser: Browser;

function settingsFor(provider: OidcFixture): OpenIdConnectSettings {
  return {
    issuer: provider.issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: login.server.url("/login"),
    clockTolerance: 5,
    // Each test changes the provider: read its metadata afresh.
    discoveryCacheSeconds: 0,
  };
}

beforeAll(async () => {
  login = await startLoginApp();
  fixture = await OidcFixture.start(CLIENT_ID, CLIENT_SECRET);
}, 60000);

afterAll(async () => {
  await fixture?.close();
  await login?.stop();
});

beforeEach(() => {
  browser = new Browser();
  fixture.behaviour = {};
  login.configure(settingsFor(fixture));
});

afterEach(async () => {
  await browser?.close();
});

/** A whole login (the fixture consents at once); the app's answer. */
async function loginWith(behaviour: FixtureBehaviour): Promise<Visit> {
  fixture.behaviour = behaviour;
  return browser.visit(login.server.url("/login"));
}

function failure(visit: Visit): AuthErrorAnswer {
  expect(visit.response!.code).toBe(401);
  // No session: no `user` cookie with a value (logout's clearing one, `user=""`, is fine).
  expect(visit.response!.headers.getList("Set-Cookie").some((header) => /^user=(?!""|;)/.test(header))).toBe(false);
  return JSON.parse(visit.response!.text) as AuthErrorAnswer;
}

const now = (): number => Math.floor(Date.now() / 1000);

it("a provider that does everything right logs the user in (so the failures below are the failures)", async () => {
  const visit = await loginWith({});
  expect(visit.response!.code).toBe(200);
  expect(JSON.parse(visit.response!.text)).toEqual({ user: { sub: FIXTURE_SUBJECT, email: "fixture@example.test" } });
});

describe("id_token: TORNADO_ERR_AUTH_ID_TOKEN_INVALID", () => {
  it.each([
    ["signed by another key (same kid)", { signer: "other-key" }, /signature verification failed/],
    ["signed by a key the JWKS does not have", { signer: "other-kid" }, /no applicable key found/],
    ["HS256 with the client secret (algorithm confusion)", { signer: "client-secret" }, /"alg" \(Algorithm\) Header Parameter value not allowed/],
    ["expired", { claims: (c) => ({ ...c, iat: now() - 600, exp: now() - 60 }) }, /"exp" claim timestamp check failed/],
    ["not valid yet (nbf)", { claims: (c) => ({ ...c, nbf: now() + 600 }) }, /"nbf" claim timestamp check failed/],
    ["for another audience", { claims: (c) => ({ ...c, aud: "another-app" }) }, /"aud" claim/],
    ["from another issuer", { claims: (c) => ({ ...c, iss: "https://evil.example" }) }, /"iss" claim/],
    ["with another nonce", { claims: (c) => ({ ...c, nonce: "not-the-flow-nonce" }) }, /nonce is not the one this login sent/],
    ["without a nonce", { claims: ({ nonce: _nonce, ...c }) => c }, /carries no nonce/],
    ["for several audiences without azp", { claims: (c) => ({ ...c, aud: [CLIENT_ID, "another-app"] }) }, /azp/],
    ["with the azp of another client", { claims: (c) => ({ ...c, azp: "another-app" }) }, /azp "another-app"/],
    ["without sub", { claims: ({ sub: _sub, ...c }) => c }, /"sub"/],
  ] satisfies Array<[string, FixtureBehaviour, RegExp]>)("%s", async (_name, behaviour, message) => {
    const answer = failure(await loginWith(behaviour));
    expect(answer).toMatchObject({ code: "TORNADO_ERR_AUTH_ID_TOKEN_INVALID", step: "idToken" });
    expect(answer.message).toMatch(message);
  });

  it.each([
    ["without auth_time", (c: JWTPayload): JWTPayload => c, /carries no auth_time/],
    ["authenticated longer ago than max_age", (c: JWTPayload): JWTPayload => ({ ...c, auth_time: now() - 600 }), /more than max_age/],
  ])("with maxAge 60, %s", async (_name, claims, message) => {
    login.configure({ ...settingsFor(fixture), maxAge: 60 });
    const visit = await loginWith({ claims });
    expect(new URL(visit.history[1]!).searchParams.get("max_age")).toBe("60");
    const answer = failure(visit);
    expect(answer.code).toBe("TORNADO_ERR_AUTH_ID_TOKEN_INVALID");
    expect(answer.message).toMatch(message);
  });

  it("with maxAge 60, a recent auth_time passes", async () => {
    login.configure({ ...settingsFor(fixture), maxAge: 60 });
    expect((await loginWith({ claims: (c) => ({ ...c, auth_time: now() - 10 }) })).response!.code).toBe(200);
  });

  it("accepts a token within the clock tolerance (expired 2 s ago, tolerance 5 s)", async () => {
    const visit = await loginWith({ claims: (c) => ({ ...c, exp: now() - 2 }) });
    expect(visit.response!.code).toBe(200);
  });
});

describe("callback", () => {
  it("a callback without iss, which the provider promises: TORNADO_ERR_AUTH_ISSUER_MISMATCH", async () => {
    expect(failure(await loginWith({ callbackIss: null }))).toMatchObject({ code: "TORNADO_ERR_AUTH_ISSUER_MISMATCH" });
  });

  it("another issuer's iss (a mix-up): TORNADO_ERR_AUTH_ISSUER_MISMATCH", async () => {
    const answer = failure(await loginWith({ callbackIss: "https://other.example" }));
    expect(answer).toMatchObject({ code: "TORNADO_ERR_AUTH_ISSUER_MISMATCH", step: "callback" });
    expect(answer.message).toContain("https://other.example");
  });

  it("code given twice: TORNADO_ERR_AUTH_CALLBACK_INVALID", async () => {
    const answer = failure(await loginWith({ duplicateCode: true }));
    expect(answer).toMatchObject({ code: "TORNADO_ERR_AUTH_CALLBACK_INVALID", step: "callback" });
    expect(answer.message).toBe("the callback carries code 2 times");
  });
});

describe("token endpoint: TORNADO_ERR_AUTH_TOKEN_EXCHANGE", () => {
  it("carries the provider's status, error and error_description", async () => {
    const answer = failure(
      await loginWith({ tokenAnswer: { status: 400, body: { error: "invalid_grant", error_description: "code expired" } } }),
    );
    expect(answer).toEqual({
      code: "TORNADO_ERR_AUTH_TOKEN_EXCHANGE",
      step: "token",
      status: 400,
      providerError: "invalid_grant",
      message: "the token request failed (HTTP 400): invalid_grant (code expired)",
    });
  });

  it.each([
    ["no access_token", { status: 200, body: { token_type: "Bearer", id_token: "x" } }, /no access_token/],
    ["no id_token", { status: 200, body: { access_token: "a", token_type: "Bearer" } }, /no id_token/],
    ["a token_type that is not Bearer", { status: 200, body: { access_token: "a", token_type: "DPoP", id_token: "x" } }, /not Bearer/],
    ["a 500 without JSON", { status: 500, body: {} }, /failed \(HTTP 500\)/],
  ])("%s", async (_name, tokenAnswer, message) => {
    const answer = failure(await loginWith({ tokenAnswer }));
    expect(answer).toMatchObject({ code: "TORNADO_ERR_AUTH_TOKEN_EXCHANGE", step: "token" });
    expect(answer.message).toMatch(message);
  });
});

it("userinfo about another subject: TORNADO_ERR_AUTH_USERINFO", async () => {
  const answer = failure(await loginWith({ userinfoSub: "someone-else" }));
  expect(answer).toMatchObject({ code: "TORNADO_ERR_AUTH_USERINFO", step: "userinfo" });
  expect(answer.message).toMatch(/"someone-else" is not the id_token's "fixture-user"/);
});

describe("discovery: TORNADO_ERR_AUTH_DISCOVERY", () => {
  it("a discovery document of another issuer", async () => {
    const answer = failure(await loginWith({ discoveryIssuer: "https://other.example" }));
    expect(answer).toMatchObject({ code: "TORNADO_ERR_AUTH_DISCOVERY", step: "discovery" });
    expect(answer.message).toMatch(/says its issuer is "https:\/\/other.example"/);
  });

  it("a JWKS that does not answer 200", async () => {
    const broken = await OidcFixture.start(CLIENT_ID, CLIENT_SECRET);
    broken.behaviour = { jwksStatus: 500 };
    login.configure(settingsFor(broken));
    try {
      const answer = failure(await browser.visit(login.server.url("/login")));
      expect(answer).toMatchObject({ code: "TORNADO_ERR_AUTH_DISCOVERY", step: "discovery" });
      expect(answer.message).toMatch(/JWKS/);
    } finally {
      await broken.close();
    }
  });

  it("logout at a provider without an end_session_endpoint", async () => {
    expect((await loginWith({})).response!.code).toBe(200);
    const answer = failure(await browser.visit(login.server.url("/logout")));
    expect(answer).toMatchObject({ code: "TORNADO_ERR_AUTH_DISCOVERY", step: "discovery" });
    expect(answer.message).toMatch(/no end_session_endpoint/);
  });
});

describe("settings: TORNADO_ERR_AUTH_CONFIG", () => {
  it("an http issuer on a host other than loopback", async () => {
    login.configure({ ...settingsFor(fixture), issuer: "http://login.example.com" });
    const answer = failure(await browser.visit(login.server.url("/login")));
    expect(answer).toMatchObject({ code: AuthConfigError.code, step: "discovery" });
    expect(answer.message).toMatch(/must use https/);
  });

  it("no openidConnect setting", async () => {
    login.configure(undefined as unknown as OpenIdConnectSettings);
    const answer = failure(await browser.visit(login.server.url("/login")));
    expect(answer.code).toBe("TORNADO_ERR_AUTH_CONFIG");
  });
});
