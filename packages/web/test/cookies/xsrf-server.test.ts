/**
 * web_test.py's XSRFTest, XSRFCookieNameTest and XSRFCookieKwargsTest, on real loopback
 * sockets through @tornado/testing.
 */
import { setLogHandler, type LogRecord } from "@tornado/ioloop";
import type { HTTPTestServer } from "@tornado/testing";
import { RequestHandler, type ApplicationSettings } from "@tornado/web";
import { cookieHeader, getWithoutRedirects as get, setCookies, testServers } from "../support";

const logs: LogRecord[] = [];
let restore: ReturnType<typeof setLogHandler>;
beforeAll(() => {
  restore = setLogHandler((record) => logs.push(record));
});
afterAll(() => setLogHandler(restore));

const serve = testServers();

describe("XSRFTest (web_test.py)", () => {
  class XSRFHandler extends RequestHandler {
    override get() {
      const version = this.getArgument("version", null);
      if (version) (this.settings as Record<string, unknown>).xsrfCookieVersion = Number(version);
      this.write(this.xsrfToken);
    }
    override post() {
      this.write("ok");
    }
  }
  const start = (settings: ApplicationSettings = {}) =>
    serve([["/", XSRFHandler]], { xsrfCookies: true, ...settings });
  const post = (server: HTTPTestServer, body: string, headers: Record<string, string> = {}, path = "/") =>
    server.fetch(path, {
      method: "POST",
      body,
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
      followRedirects: false,
    });
  const token = async (server: HTTPTestServer) => {
    const response = await get(server, "/");
    return { token: response.body.toString(), cookie: cookieHeader(setCookies(response)[0]!) };
  };

  it("missing, mismatched and malformed tokens get 403 with Tornado's messages", async () => {
    const server = await start();
    const { token: t, cookie } = await token(server);
    logs.length = 0;
    expect((await post(server, "")).code).toBe(403);
    expect(logs.some((r) => r.message.includes("'_xsrf' argument missing from POST"))).toBe(true);
    expect((await post(server, `_xsrf=${encodeURIComponent(t)}`)).code).toBe(403);
    expect(logs.some((r) => r.message.includes("XSRF cookie does not match POST argument"))).toBe(true);
    expect((await post(server, "_xsrf=3%7C", { Cookie: cookie })).code).toBe(403);
    expect(logs.some((r) => r.message.includes("'_xsrf' argument has invalid format"))).toBe(true);
    expect((await post(server, `_xsrf=${encodeURIComponent(t)}`, { Cookie: "_xsrf=3|" })).code).toBe(403);
    expect((await post(server, "", { Cookie: cookie })).code).toBe(403);
  });

  it("valid tokens in the body, the query, or X-Xsrftoken / X-Csrftoken", async () => {
    const server = await start();
    const { token: t, cookie } = await token(server);
    expect((await post(server, `_xsrf=${encodeURIComponent(t)}`, { Cookie: cookie })).code).toBe(200);
    expect((await post(server, "", { Cookie: cookie }, `/?_xsrf=${encodeURIComponent(t)}`)).code).toBe(200);
    expect((await post(server, "", { Cookie: cookie, "X-Xsrftoken": t })).code).toBe(200);
    expect((await post(server, "", { Cookie: cookie, "X-Csrftoken": t })).code).toBe(200);
    for (const raw of ["deadbeef", "xoxo"]) {
      expect((await post(server, `_xsrf=${raw}`, { Cookie: `_xsrf=${raw}` })).code).toBe(200);
    }
  });

  it("distinct tokens per GET; refreshed tokens keep validating; v1 and v2 interchange", async () => {
    const server = await start();
    const tokens = new Set<string>();
    for (let i = 0; i < 10; i++) tokens.add((await token(server)).token);
    expect(tokens.size).toBe(10);
    const first = await token(server);
    const refreshed = await get(server, "/", { Cookie: first.cookie });
    expect(setCookies(refreshed)).toEqual([]); // the cookie stays
    expect(refreshed.body.toString()).not.toBe(first.token);
    expect((await post(server, `_xsrf=${encodeURIComponent(first.token)}`, { Cookie: first.cookie })).code).toBe(200);
    const v1 = await get(server, "/?version=1");
    const v1Cookie = cookieHeader(setCookies(v1)[0]!);
    expect((await get(server, "/?version=1", { Cookie: v1Cookie })).body.toString()).toBe(v1.body.toString());
    const v2 = await get(server, "/?version=2", { Cookie: v1Cookie });
    expect(v2.body.toString()).toMatch(/^2\|/);
    expect((await post(server, `_xsrf=${encodeURIComponent(v2.body.toString())}`, { Cookie: v1Cookie })).code).toBe(200);
    expect((await post(server, `_xsrf=${v1.body.toString()}`, { Cookie: `_xsrf=${v2.body.toString()}` })).code).toBe(200);
  });

  it("xsrfCookieName keeps the _xsrf field; xsrfCookieKwargs reach the cookie", async () => {
    const named = await start({ xsrfCookieName: "__Host-xsrf", xsrfCookieKwargs: { secure: true } });
    const response = await get(named, "/");
    expect(setCookies(response)[0]).toMatch(/^__Host-xsrf=2\|[0-9a-f]{8}\|[0-9a-f]{32}\|\d+; Path=\/; Secure$/);
    const t = response.body.toString();
    expect((await post(named, `_xsrf=${encodeURIComponent(t)}`)).code).toBe(403);
    expect((await post(named, `_xsrf=${encodeURIComponent(t)}`, { Cookie: `__Host-xsrf=${t}` })).code).toBe(200);
    const kwargs = await start({ xsrfCookieKwargs: { httpOnly: true, expiresDays: 2 } });
    const header = setCookies(await get(kwargs, "/"))[0]!;
    expect(header).toContain("HttpOnly;");
    const expires = Date.parse(/expires=([^;]+)/.exec(header)![1]!);
    expect(Math.abs(expires - (Date.now() + 2 * 86400 * 1000))).toBeLessThan(10_000);
  });

  it("ErrorHandlerXSRFTest: an unknown URL is 404, not 403", async () => {
    const server = await start();
    expect((await post(server, "", {}, "/404")).code).toBe(404);
  });

  it("xsrfFormHtml", async () => {
    class FormHandler extends RequestHandler {
      override get() {
        this.write(this.xsrfFormHtml());
      }
    }
    const server = await serve([["/", FormHandler]]);
    const response = await get(server, "/");
    expect(response.body.toString()).toMatch(/^<input type="hidden" name="_xsrf" value="2\|[0-9a-f]{8}\|[0-9a-f]{32}\|\d+"\/>$/);
  });
});
