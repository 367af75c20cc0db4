/**
 * web_test.py's CookieTest, SecureCookieV1Test/V2Test, XSRFTest, XSRFCookieNameTest,
 * XSRFCookieKwargsTest, AuthRedirectTest, DecoratorTest, ClearAllCookiesTest and
 * GetCurrentUserTest (async), on real loopback sockets through @tornado/testing.
 */
import { HTTPTestServer } from "@tornado/testing";
import { setLogHandler, type LogRecord } from "@tornado/ioloop";
import {
  Application,
  RequestHandler,
  type ApplicationSettings,
  type RuleLike,
} from "../../src/index";
import { authenticated } from "../../src/decorators/authenticated";
import { addslash } from "../../src/decorators/addslash";
import { removeslash } from "../../src/decorators/removeslash";
import { createSignedValue } from "../../src/cookies/signed-value";
import { CookieError } from "../../src/errors";

const logs: LogRecord[] = [];
let restore: ReturnType<typeof setLogHandler>;
beforeAll(() => {
  restore = setLogHandler((record) => logs.push(record));
});
afterAll(() => setLogHandler(restore));

const servers: HTTPTestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});
async function serve(handlers: RuleLike[], settings: ApplicationSettings = {}): Promise<HTTPTestServer> {
  const server = await HTTPTestServer.start(new Application(handlers, settings));
  servers.push(server);
  return server;
}
const get = (server: HTTPTestServer, path: string, headers: Record<string, string> = {}) =>
  server.fetch(path, { headers, followRedirects: false });
const setCookies = (response: { headers: { getList(name: string): string[] } }) => response.headers.getList("Set-Cookie");

describe("CookieTest (web_test.py)", () => {
  class SetCookieHandler extends RequestHandler {
    override get() {
      this.setCookie("str", "asdf");
      this.setCookie("unicode", "qwer");
      this.setCookie("bytes", Buffer.from("zxcv"));
    }
  }
  class GetCookieHandler extends RequestHandler {
    override get() {
      this.write(this.getCookie("foo", "default")!);
    }
  }
  class SetCookieDomainPathHandler extends RequestHandler {
    override get() {
      this.setCookie("unicode_args", "blah", { domain: "foo.com", path: "/foo" });
    }
  }
  class SetCookieSpecialCharHandler extends RequestHandler {
    override get() {
      this.setCookie("equals", "a=b");
      this.setCookie("semicolon", "a;b");
      this.setCookie("quote", 'a"b');
    }
  }
  class SetCookieOverwriteHandler extends RequestHandler {
    override get() {
      this.setCookie("a", "b", { domain: "example.com" });
      this.setCookie("c", "d", { domain: "example.com" });
      this.setCookie("a", "e");
    }
  }
  class SetCookieMaxAgeHandler extends RequestHandler {
    override get() {
      this.setCookie("foo", "bar", { maxAge: 10 });
    }
  }
  class SetCookieExpiresDaysHandler extends RequestHandler {
    override get() {
      this.setCookie("foo", "bar", { expiresDays: 10 });
    }
  }
  class SetCookieFalsyFlags extends RequestHandler {
    override get() {
      this.setCookie("a", "1", { secure: true });
      this.setCookie("b", "1", { secure: false });
      this.setCookie("c", "1", { httpOnly: true });
      this.setCookie("d", "1", { httpOnly: false });
    }
  }
  class InvalidCookieHandler extends RequestHandler {
    override get() {
      const errors: string[] = [];
      for (const c of [...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)), "\x7f", ";"]) {
        for (const attempt of [
          () => this.setCookie(`foo${c}`, "bar"),
          () => this.setCookie("foo", "bar", { domain: `example${c}.com` }),
          () => this.setCookie("foo", "bar", { path: `/${c}` }),
          () => this.setCookie("foo", "bar", { sameSite: `a${c}` }),
        ]) {
          try {
            attempt();
            errors.push(`no error for ${JSON.stringify(c)}`);
          } catch (error) {
            if (!(error instanceof CookieError) || !/Invalid cookie attribute (name|domain|path|samesite)/.test(error.message)) {
              errors.push(String(error));
            }
          }
        }
      }
      this.write(errors.join("\n"));
    }
  }
  const routes: RuleLike[] = [
    ["/set", SetCookieHandler],
    ["/get", GetCookieHandler],
    ["/set_domain", SetCookieDomainPathHandler],
    ["/special_char", SetCookieSpecialCharHandler],
    ["/set_overwrite", SetCookieOverwriteHandler],
    ["/set_max_age", SetCookieMaxAgeHandler],
    ["/set_expires_days", SetCookieExpiresDaysHandler],
    ["/set_falsy_flags", SetCookieFalsyFlags],
    ["/invalid", InvalidCookieHandler],
  ];

  it("set cookie", async () => {
    const server = await serve(routes);
    expect(setCookies(await get(server, "/set")).sort()).toEqual([
      "bytes=zxcv; Path=/",
      "str=asdf; Path=/",
      "unicode=qwer; Path=/",
    ]);
  });

  it("get cookie", async () => {
    const server = await serve(routes);
    expect((await get(server, "/get", { Cookie: "foo=bar" })).body.toString()).toBe("bar");
    expect((await get(server, "/get", { Cookie: 'foo="bar"' })).body.toString()).toBe("bar");
    expect((await get(server, "/get", { Cookie: "/=exception;" })).body.toString()).toBe("default");
  });

  it("set cookie domain", async () => {
    const server = await serve(routes);
    expect(setCookies(await get(server, "/set_domain"))).toEqual(["unicode_args=blah; Domain=foo.com; Path=/foo"]);
  });

  it("cookie special char", async () => {
    const server = await serve(routes);
    expect(setCookies(await get(server, "/special_char")).sort()).toEqual([
      'equals="a=b"; Path=/',
      'quote="a\\"b"; Path=/',
      'semicolon="a\\073b"; Path=/',
    ]);
    const data: [string, string][] = [
      ["foo=a=b", "a=b"],
      ['foo="a=b"', "a=b"],
      ['foo="a;b"', '"a'],
      ["foo=a\\073b", "a\\073b"],
      ['foo="a\\073b"', "a;b"],
      ['foo="a\\"b"', 'a"b'],
    ];
    for (const [header, expected] of data) {
      expect((await get(server, "/get", { Cookie: header })).body.toString()).toBe(expected);
    }
  });

  it("invalid cookies raise CookieError naming the attribute; the response still succeeds", async () => {
    const server = await serve(routes);
    const response = await get(server, "/invalid");
    expect(response.code).toBe(200);
    expect(response.body.toString()).toBe("");
  });

  it("set cookie overwrite, max age, expires days, falsy flags", async () => {
    const server = await serve(routes);
    expect(setCookies(await get(server, "/set_overwrite")).sort()).toEqual([
      "a=e; Path=/",
      "c=d; Domain=example.com; Path=/",
    ]);
    expect(setCookies(await get(server, "/set_max_age"))).toEqual(["foo=bar; Max-Age=10; Path=/"]);
    const header = setCookies(await get(server, "/set_expires_days"))[0]!;
    const match = /^foo=bar; expires=(.+); Path=\/$/.exec(header)!;
    expect(Math.abs(Date.parse(match[1]!) - (Date.now() + 10 * 86400 * 1000))).toBeLessThan(10_000);
    expect(setCookies(await get(server, "/set_falsy_flags")).sort()).toEqual([
      "a=1; Path=/; Secure",
      "b=1; Path=/",
      "c=1; HttpOnly; Path=/",
      "d=1; Path=/",
    ]);
  });
});

describe("ClearAllCookiesTest (web_test.py)", () => {
  class ClearAllCookiesHandler extends RequestHandler {
    override get() {
      this.clearAllCookies();
      this.write("ok");
    }
  }
  it("clears every request cookie", async () => {
    const server = await serve([["/", ClearAllCookiesHandler]]);
    const values = setCookies(await get(server, "/", { Cookie: "foo=bar; baz=xyzzy" })).sort();
    expect(values[0]!.startsWith('baz="";')).toBe(true);
    expect(values[1]!.startsWith('foo="";')).toBe(true);
  });
});

class CookieTestRequestHandler extends RequestHandler {
  override get() {
    const action = this.getArgument("action");
    if (action === "set") {
      const version = Number(this.getArgument("version", "2"));
      this.setSignedCookie("foo", Buffer.from(this.getArgument("value", "bar")), { version });
    } else {
      const value = this.getSignedCookie("foo", undefined, { minVersion: 1 });
      this.write({ value, keyVersion: this.getSignedCookieKeyVersion("foo") });
    }
  }
}

function cookieHeader(setCookie: string): string {
  return setCookie.split(";")[0]!;
}

describe("SecureCookieV1Test / SecureCookieV2Test (web_test.py)", () => {
  it("round trip v1 and v2", async () => {
    const server = await serve([["/", CookieTestRequestHandler]], { cookieSecret: "0123456789" });
    for (const version of [1, 2]) {
      const set = await get(server, `/?action=set&version=${version}&value=bar`);
      const cookie = cookieHeader(setCookies(set)[0]!);
      expect(setCookies(set)[0]).toMatch(/expires=/); // expiresDays 30 by default
      const read = await get(server, "/?action=get", { Cookie: cookie });
      expect(JSON.parse(read.body.toString())).toEqual({ value: "bar", keyVersion: version === 2 ? 0 : null });
    }
  });

  it("the future-timestamp tamper is refused (v1)", async () => {
    const server = await serve([["/", CookieTestRequestHandler]], { cookieSecret: "0123456789" });
    const set = await get(server, "/?action=set&version=1&value=" + encodeURIComponent(Buffer.from("d76df8e7aefc", "hex").toString("latin1")));
    expect(set.code).toBe(200);
    const signed = createSignedValue("0123456789", "foo", Buffer.from("d76df8e7aefc", "hex"), { version: 1 });
    const [, timestamp, sig] = /^12345678\|([0-9]+)\|([0-9a-f]+)$/.exec(signed)!;
    logs.length = 0;
    const read = await get(server, "/?action=get", { Cookie: `foo=1234|5678${timestamp}|${sig}` });
    expect(JSON.parse(read.body.toString()).value).toBeNull();
    expect(logs.some((r) => r.message.includes("Cookie timestamp in future"))).toBe(true);
  });

  it("key versions: signed with kv 0, read by an app on kv 1; a dict without 0 refuses", async () => {
    const KEY_VERSIONS = { 0: "ajklasdf0ojaisdf", 1: "aslkjasaolwkjsdf" };
    const writer = await serve([["/", CookieTestRequestHandler]], { cookieSecret: KEY_VERSIONS, keyVersion: 0 });
    const cookie = cookieHeader(setCookies(await get(writer, "/?action=set&value=kv"))[0]!);
    const reader = await serve([["/", CookieTestRequestHandler]], { cookieSecret: KEY_VERSIONS, keyVersion: 1 });
    expect(JSON.parse((await get(reader, "/?action=get", { Cookie: cookie })).body.toString())).toEqual({ value: "kv", keyVersion: 0 });
    const withoutZero = await serve([["/", CookieTestRequestHandler]], { cookieSecret: { 1: "aslkjasaolwkjsdf" }, keyVersion: 1 });
    expect(JSON.parse((await get(withoutZero, "/?action=get", { Cookie: cookie })).body.toString()).value).toBeNull();
  });

  it("without cookieSecret: 500 naming the setting", async () => {
    const server = await serve([["/", CookieTestRequestHandler]]);
    logs.length = 0;
    expect((await get(server, "/?action=set")).code).toBe(500);
    expect(logs.some((r) => /You must define the 'cookieSecret' setting/.test(String(r.error ?? r.message)))).toBe(true);
  });
});

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

describe("AuthRedirectTest / DecoratorTest (web_test.py)", () => {
  class RelativeLoginHandler extends RequestHandler {
    override getLoginUrl() {
      return "/login";
    }
    @authenticated
    override get() {
      this.write("never");
    }
  }
  class AbsoluteLoginHandler extends RequestHandler {
    override getLoginUrl() {
      return "http://example.com/login";
    }
    override get = authenticated(function (this: RequestHandler) {
      this.write("never");
    });
  }
  class AsyncUserHandler extends RequestHandler {
    override async getCurrentUser() {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return this.getArgument("user", null);
    }
    override prepare() {
      // Resolved before prepare.
      this.setHeader("X-Prepare-User", String(this.currentUser));
    }
    @authenticated
    override get() {
      this.write(`hello ${String(this.currentUser)}`);
    }
    @authenticated
    override post() {
      this.write("posted");
    }
  }
  class SlashHandler extends RequestHandler {
    @removeslash
    override get() {
      this.write("removed");
    }
  }
  class AddSlashHandler extends RequestHandler {
    @addslash
    override get() {
      this.write("added");
    }
    @addslash
    override post() {
      this.write("never");
    }
  }

  it("redirects to the login URL with next", async () => {
    const server = await serve(
      [
        ["/relative", RelativeLoginHandler],
        ["/absolute", AbsoluteLoginHandler],
      ],
      {},
    );
    const relative = await get(server, "/relative");
    expect(relative.code).toBe(302);
    expect(relative.headers.get("Location")).toBe("/login?next=%2Frelative");
    const absolute = await get(server, "/absolute");
    expect(absolute.code).toBe(302);
    expect(absolute.headers.get("Location")).toMatch(/^http:\/\/example\.com\/login\?next=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fabsolute$/);
  });

  it("awaits an async getCurrentUser before prepare, the method and authenticated (tornado#2434)", async () => {
    const server = await serve([["/user", AsyncUserHandler]], { loginUrl: "/login" });
    const ok = await get(server, "/user?user=ben");
    expect(ok.body.toString()).toBe("hello ben");
    expect(ok.headers.get("X-Prepare-User")).toBe("ben");
    const anonymous = await get(server, "/user");
    expect(anonymous.code).toBe(302);
    expect(anonymous.headers.get("Location")).toBe("/login?next=%2Fuser");
    expect((await server.fetch("/user", { method: "POST", body: "" })).code).toBe(403);
  });

  it("removeslash and addslash", async () => {
    const server = await serve([
      ["/removeslash/", SlashHandler],
      ["/addslash", AddSlashHandler],
      ["/", SlashHandler],
    ]);
    let response = await get(server, "/removeslash/");
    expect(response.code).toBe(301);
    expect(response.headers.get("Location")).toBe("/removeslash");
    response = await get(server, "/removeslash/?foo=bar");
    expect(response.headers.get("Location")).toBe("/removeslash?foo=bar");
    response = await get(server, "/addslash");
    expect(response.code).toBe(301);
    expect(response.headers.get("Location")).toBe("/addslash/");
    response = await get(server, "/addslash?foo=bar");
    expect(response.headers.get("Location")).toBe("/addslash/?foo=bar");
    expect((await server.fetch("/addslash", { method: "POST", body: "" })).code).toBe(404);
    expect((await get(server, "/")).body.toString()).toBe("removed"); // "/" is never redirected
  });
});
