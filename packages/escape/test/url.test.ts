// Ported from tornado/test/escape_test.py: test_url_escape_unicode, test_url_unescape_unicode,
// test_url_escape_quote_plus, plus the vectors of reference 2.6.
import { urlEscape, urlUnescape, EscapeTypeError } from "@tornado/escape";

describe("urlEscape", () => {
  it.each<[string | Buffer, string]>([
    [Buffer.from("c3a9", "hex"), "%C3%A9"],
    [Buffer.from("e9", "hex"), "%E9"],
    ["\u00e9", "%C3%A9"],
  ])("escapes %j as %j", (input, expected) => {
    expect(urlEscape(input)).toBe(expected);
  });

  it("uses quote_plus by default and quote with plus=false", () => {
    expect(urlEscape("a b/c?d=e&f")).toBe("a+b%2Fc%3Fd%3De%26f");
    expect(urlEscape("a b/c?d=e&f", false)).toBe("a%20b/c%3Fd%3De%26f");
    expect(urlEscape("+ #%")).toBe("%2B+%23%25");
    expect(urlEscape("+ #%", false)).toBe("%2B%20%23%25");
  });

  it("keeps the safe set A-Za-z0-9_.-~", () => {
    expect(urlEscape("AZaz09_.-~")).toBe("AZaz09_.-~");
    expect(urlEscape("")).toBe("");
  });

  it("rejects other types", () => {
    expect(() => urlEscape(3 as never)).toThrow(EscapeTypeError);
  });
});

describe("urlUnescape", () => {
  it("decodes with the given encoding, or to bytes with encoding null", () => {
    expect(urlUnescape("%C3%A9", { encoding: "utf8" })).toBe("\u00e9");
    expect(urlUnescape("%C3%A9", { encoding: "latin1" })).toBe("\u00c3\u00a9");
    expect(urlUnescape("%C3%A9", { encoding: null })).toEqual(Buffer.from("c3a9", "hex"));
  });

  it("accepts strings and bytes", () => {
    expect(urlUnescape(Buffer.from("%C3%A9"))).toBe("\u00e9");
    expect(urlUnescape(Buffer.from("%C3%A9"), { encoding: null })).toEqual(Buffer.from("c3a9", "hex"));
  });

  it("respects plus", () => {
    expect(urlUnescape("a+b%20c")).toBe("a b c");
    expect(urlUnescape("a+b%20c", { plus: false })).toBe("a+b c");
  });

  it.each([
    ["+ #%", "%2B+%23%25", true],
    ["+ #%", "%2B%20%23%25", false],
  ] as const)("round-trips %j through %j (plus=%s)", (unescaped, escaped, plus) => {
    expect(urlEscape(unescaped, plus)).toBe(escaped);
    expect(urlUnescape(escaped, { plus })).toBe(unescaped);
    expect(urlUnescape(escaped, { plus, encoding: null })).toEqual(Buffer.from(unescaped));
  });

  it("leaves malformed percent sequences alone", () => {
    expect(urlUnescape("100%")).toBe("100%");
    expect(urlUnescape("%zz%4")).toBe("%zz%4");
    expect(urlUnescape("%4a%4A")).toBe("JJ");
  });

  it("names a bad encoding", () => {
    expect(() => urlUnescape("x", { encoding: "klingon" as never })).toThrow(/unknown encoding "klingon"/);
  });
});
