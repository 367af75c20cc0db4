import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCookie } from "@tornado/httputil";
import { formatSetCookie, quoteCookieValue, validateCookie } from "../../src/cookies/set-cookie";
import { OutgoingCookies } from "../../src/cookies/outgoing-cookies";
import { CookieError } from "../../src/errors";

const sorted = (cookies: OutgoingCookies) => cookies.headerValues().sort();

describe("CookieTest (web_test.py), Set-Cookie side", () => {
  it("sets str, unicode and bytes cookies", () => {
    const cookies = new OutgoingCookies();
    cookies.set("str", "asdf");
    cookies.set("unicode", "qwer");
    cookies.set("bytes", Buffer.from("zxcv"));
    expect(sorted(cookies)).toEqual(["bytes=zxcv; Path=/", "str=asdf; Path=/", "unicode=qwer; Path=/"]);
  });

  it("domain and path", () => {
    expect(formatSetCookie("unicode_args", "blah", { domain: "foo.com", path: "/foo" })).toBe(
      "unicode_args=blah; Domain=foo.com; Path=/foo",
    );
  });

  it("special characters are quoted as Python does", () => {
    const cookies = new OutgoingCookies();
    cookies.set("equals", "a=b");
    cookies.set("semicolon", "a;b");
    cookies.set("quote", 'a"b');
    expect(sorted(cookies)).toEqual(['equals="a=b"; Path=/', 'quote="a\\"b"; Path=/', 'semicolon="a\\073b"; Path=/']);
  });

  it("and they read back through parseCookie", () => {
    for (const value of ["a=b", "a;b", 'a"b']) {
      const header = formatSetCookie("foo", value).split("; Path=/")[0]!;
      expect(parseCookie(header)["foo"]).toBe(value);
    }
  });

  const unsafe = [...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)), "\x7f", ";"];
  it.each(unsafe.map((c) => [JSON.stringify(c), c]))("refuses %s in name, domain, path and samesite", (_label, c) => {
    const cases: [string, () => void][] = [
      ["name", () => formatSetCookie(`a${c}`, "b")],
      ["domain", () => formatSetCookie("a", "b", { domain: `example${c}.com` })],
      ["path", () => formatSetCookie("a", "b", { path: `/${c}` })],
      ["samesite", () => formatSetCookie("a", "b", { sameSite: `a${c}` })],
    ];
    for (const [attribute, call] of cases) {
      expect(call).toThrow(CookieError);
      expect(call).toThrow(new RegExp(`Invalid cookie attribute ${attribute}`));
      try {
        call();
      } catch (error) {
        expect((error as CookieError).code).toBe("TORNADO_ERR_WEB_COOKIE_INVALID");
        expect((error as CookieError).attribute).toBe(attribute);
      }
    }
  });

  it("refuses control characters and spaces in values, and characters above U+00FF", () => {
    for (const value of ["a\r\nb", "a b", "\x00", "tab\t"]) {
      expect(() => formatSetCookie("a", value)).toThrow(/Invalid cookie "a"/);
    }
    expect(() => formatSetCookie("a", "snow\u2603")).toThrow(/above U\+00FF/);
    // DEL is allowed in a value (it is octal-escaped), as in Python.
    expect(formatSetCookie("a", "\x7f")).toBe('a="\\177"; Path=/');
  });

  it("refuses names that are not cookie tokens", () => {
    expect(() => formatSetCookie("a=b", "c")).toThrow(/Invalid cookie attribute name="a=b"/);
    expect(() => formatSetCookie("", "c")).toThrow(CookieError);
    expect(() => validateCookie("a,b", "c")).toThrow(CookieError);
  });

  it("overwrite replaces the earlier cookie, attributes included", () => {
    const cookies = new OutgoingCookies();
    cookies.set("a", "b", { domain: "example.com" });
    cookies.set("c", "d", { domain: "example.com" });
    cookies.set("a", "e");
    expect(sorted(cookies)).toEqual(["a=e; Path=/", "c=d; Domain=example.com; Path=/"]);
    expect(cookies.headerValues()[1]).toBe("a=e; Path=/"); // moved to the end, as a re-set dict key
  });

  it("maxAge", () => {
    expect(formatSetCookie("foo", "bar", { maxAge: 10 })).toBe("foo=bar; Max-Age=10; Path=/");
    expect(formatSetCookie("foo", "bar", { maxAge: 0 })).toBe("foo=bar; Path=/");
    expect(() => formatSetCookie("foo", "bar", { maxAge: NaN })).toThrow(/maxAge must be a finite number/);
  });

  it("expiresDays", () => {
    const header = formatSetCookie("foo", "bar", { expiresDays: 10 });
    const match = /^foo=bar; expires=(.+); Path=\/$/.exec(header);
    expect(match).not.toBeNull();
    const expires = Date.parse(match![1]!);
    expect(Math.abs(expires - (Date.now() + 10 * 86400 * 1000))).toBeLessThan(10_000);
  });

  it("expires wins over expiresDays and accepts seconds or a Date", () => {
    expect(formatSetCookie("n", "v", { expires: 0 + 86400, expiresDays: 5 })).toBe(
      "n=v; expires=Fri, 02 Jan 1970 00:00:00 GMT; Path=/",
    );
    expect(formatSetCookie("n", "v", { expires: new Date(Date.UTC(2030, 0, 2, 3, 4, 5)) })).toBe(
      "n=v; expires=Wed, 02 Jan 2030 03:04:05 GMT; Path=/",
    );
  });

  it("secure and httpOnly flags", () => {
    const cookies = new OutgoingCookies();
    cookies.set("a", "1", { secure: true });
    cookies.set("b", "1", { secure: false });
    cookies.set("c", "1", { httpOnly: true });
    cookies.set("d", "1", { httpOnly: false });
    expect(sorted(cookies)).toEqual(["a=1; Path=/; Secure", "b=1; Path=/", "c=1; HttpOnly; Path=/", "d=1; Path=/"]);
  });

  it("all attributes in Python's order", () => {
    expect(
      formatSetCookie("n", "v", {
        domain: "ex.com",
        expires: 0,
        httpOnly: true,
        maxAge: 10,
        path: "/",
        sameSite: "Lax",
        secure: true,
      }),
    ).toBe("n=v; Domain=ex.com; HttpOnly; Max-Age=10; Path=/; SameSite=Lax; Secure");
    // expires=0 is falsy and left out, as in Tornado (`if expires:`); a Date at the epoch is not.
    expect(formatSetCookie("n", "v", { expires: new Date(0), path: "" })).toBe(
      "n=v; expires=Thu, 01 Jan 1970 00:00:00 GMT",
    );
  });
});

describe("ClearAllCookiesTest / clearCookie", () => {
  it("clears with an empty quoted value a year in the past", () => {
    const cookies = new OutgoingCookies();
    cookies.clear("foo");
    cookies.clear("baz", { path: "/x", domain: "example.com" });
    const values = sorted(cookies);
    expect(values[0]!.startsWith('baz=""; Domain=example.com; expires=')).toBe(true);
    expect(values[1]!.startsWith('foo="";')).toBe(true);
    const expires = Date.parse(/expires=([^;]+)/.exec(values[1]!)![1]!);
    expect(Math.abs(expires - (Date.now() - 365 * 86400 * 1000))).toBeLessThan(10_000);
  });

  it("refuses expires and maxAge", () => {
    const cookies = new OutgoingCookies();
    expect(() => cookies.clear("a", { expires: 1 } as never)).toThrow(/unexpected option 'expires'/);
    expect(() => cookies.clear("a", { maxAge: 1 } as never)).toThrow(/unexpected option 'maxAge'/);
  });
});

interface CookieFixtures {
  cookies: {
    quoted: { value: string; setCookie: string }[];
    attributes: { attributes: Record<string, string | boolean>; setCookie: string }[];
  };
}
const fixtures = JSON.parse(
  readFileSync(join(__dirname, "..", "fixtures", "signed-fixtures.json"), "utf8"),
) as CookieFixtures;

describe("byte-exact with Python's http.cookies (fixtures)", () => {
  it.each(fixtures.cookies.quoted.map((q) => [JSON.stringify(q.value), q]))("quotes %s", (_label, q) => {
    const { value, setCookie } = q as { value: string; setCookie: string };
    expect(`n=${quoteCookieValue(value)}`).toBe(setCookie);
    // What Python writes, parseCookie reads back to the same string (for one-byte characters).
    if (![...value].some((c) => c.charCodeAt(0) > 255)) {
      expect(parseCookie(setCookie)["n"]).toBe(value);
    }
  });

  it.each(fixtures.cookies.attributes.map((a) => [a.setCookie, a]))("writes %s", (_label, a) => {
    const { attributes, setCookie } = a as { attributes: Record<string, string | boolean>; setCookie: string };
    const options = {
      domain: attributes["domain"] as string | undefined,
      path: (attributes["path"] as string | undefined) ?? "",
      maxAge: attributes["max-age"] === undefined ? undefined : Number(attributes["max-age"]),
      httpOnly: attributes["httponly"] === true,
      secure: attributes["secure"] === true,
      sameSite: attributes["samesite"] as string | undefined,
      expires: attributes["expires"] === undefined ? undefined : new Date(Date.parse(attributes["expires"] as string)),
    };
    expect(formatSetCookie("n", "v", options)).toBe(setCookie);
  });
});
