/**
 * web_test.py's CookieTest, ClearAllCookiesTest and SecureCookieV1Test/V2Test, on real
 * loopback sockets through @tornado/testing.
 */
import { appLog, LogLevel, setLogHandler, type LogRecord } from "@tornado/ioloop";
import { CookieError, createSignedValue, RequestHandler, type RuleLike } from "@tornado/web";
import { cookieHeader, getWithoutRedirects as get, setCookies, testServers } from "../support";

const logs: LogRecord[] = [];
const expectedErrors: RegExp[] = [];
let restore: ReturnType<typeof setLogHandler>;
beforeAll(() => {
  // ERROR records go on to the log guard unless a test expects them (expectedErrors).
  restore = setLogHandler((record) => {
    logs.push(record);
    if (record.level >= LogLevel.ERROR && !expectedErrors.some((pattern) => pattern.test(record.message))) restore(record);
  });
});
afterAll(() => setLogHandler(restore));

const serve = testServers();

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
    expectedErrors.push(/^Uncaught exception GET \/\?action=set/);
    expect((await get(server, "/?action=set")).code).toBe(500);
    expect(logs.filter((r) => r.name === appLog.name).map((r) => String(r.error))).toEqual([expect.stringMatching(/You must define the 'cookieSecret' setting/)]);
  });
});

// Tornado 6.3 renamed *_secure_cookie to *_signed_cookie and keeps the old names as aliases.
class SecureCookieAliasHandler extends RequestHandler {
  override get() {
    if (this.getArgument("action") === "set") {
      this.setSecureCookie("foo", this.getArgument("value"));
    } else {
      this.write({ value: this.getSecureCookie("foo"), keyVersion: this.getSecureCookieKeyVersion("foo") });
    }
  }
}

describe("the deprecated *SecureCookie aliases (set_secure_cookie, get_secure_cookie)", () => {
  it("sign and read as setSignedCookie / getSignedCookie do", async () => {
    const server = await serve([["/alias", SecureCookieAliasHandler], ["/", CookieTestRequestHandler]], { cookieSecret: "0123456789" });
    const cookie = cookieHeader(setCookies(await get(server, "/alias?action=set&value=old%20name"))[0]!);
    expect(JSON.parse((await get(server, "/?action=get", { Cookie: cookie })).body.toString())).toEqual({ value: "old name", keyVersion: 0 });
    const signed = cookieHeader(setCookies(await get(server, "/?action=set&value=new"))[0]!);
    expect(JSON.parse((await get(server, "/alias?action=get", { Cookie: signed })).body.toString())).toEqual({ value: "new", keyVersion: 0 });
    expect(JSON.parse((await get(server, "/alias?action=get", { Cookie: "foo=forged" })).body.toString())).toEqual({ value: null, keyVersion: null });
  });
});
