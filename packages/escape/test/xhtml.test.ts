// Ported from tornado/test/escape_test.py: test_xhtml_escape, test_xhtml_unescape_numeric.
import { xhtmlEscape, xhtmlUnescape, EscapeTypeError, NAME_TO_CODEPOINT } from "@tornado/escape";

const ROUND_TRIPS: Array<[string, string]> = [
  ["<foo>", "&lt;foo&gt;"],
  ["<>&\"'", "&lt;&gt;&amp;&quot;&#x27;"],
  ["&amp;", "&amp;amp;"],
  ["<\u00e9>", "&lt;\u00e9&gt;"],
];

describe("xhtmlEscape / xhtmlUnescape (escape_test.py)", () => {
  it.each(ROUND_TRIPS)("escapes %j and unescapes it back", (unescaped, escaped) => {
    expect(xhtmlEscape(unescaped)).toBe(escaped);
    expect(xhtmlUnescape(escaped)).toBe(unescaped);
  });

  it.each(ROUND_TRIPS)("takes UTF-8 bytes too: %j", (unescaped, escaped) => {
    expect(xhtmlEscape(Buffer.from(unescaped, "utf8"))).toBe(escaped);
    expect(xhtmlUnescape(Buffer.from(escaped, "utf8"))).toBe(unescaped);
  });

  it("always returns a string", () => {
    expect(typeof xhtmlEscape(Buffer.from("foo"))).toBe("string");
    expect(xhtmlEscape(42)).toBe("42");
    expect(xhtmlEscape(true)).toBe("true");
  });

  it("escapes a whole script tag (reference 2.6)", () => {
    expect(xhtmlEscape("<script>alert('x') & \"y\"</script>")).toBe(
      "&lt;script&gt;alert(&#x27;x&#x27;) &amp; &quot;y&quot;&lt;/script&gt;",
    );
  });

  it("returns the same string when nothing needs escaping, and handles edges", () => {
    expect(xhtmlEscape("")).toBe("");
    expect(xhtmlEscape("plain text")).toBe("plain text");
    expect(xhtmlEscape("&")).toBe("&amp;");
    expect(xhtmlEscape("a&")).toBe("a&amp;");
    expect(xhtmlEscape("&a")).toBe("&amp;a");
  });

  it.each([
    ["foo&#32;bar", "foo bar"],
    ["foo&#x20;bar", "foo bar"],
    ["foo&#X20;bar", "foo bar"],
    ["foo&#xabc;bar", "foo\u0abcbar"],
    ["foo&#xyz;bar", "foo&#xyz;bar"],
    ["foo&#;bar", "foo&#;bar"],
    ["foo&#x;bar", "foo&#x;bar"],
  ])("unescapes numeric references: %j -> %j", (input, expected) => {
    expect(xhtmlUnescape(input)).toBe(expected);
  });

  it("decodes numeric references by HTML5's rules", () => {
    expect(xhtmlUnescape("&#x80;")).toBe("\u20ac");
    expect(xhtmlUnescape("&#0;")).toBe("\ufffd");
    expect(xhtmlUnescape("&#xd800;")).toBe("\ufffd");
    expect(xhtmlUnescape("&#x110000;")).toBe("\ufffd");
    expect(xhtmlUnescape("&#99999999999999999999;")).toBe("\ufffd");
    expect(xhtmlUnescape("a&#1;b")).toBe("ab");
    expect(xhtmlUnescape("&#128512;")).toBe("\u{1f600}");
    expect(xhtmlUnescape("&#65")).toBe("A");
  });

  it("decodes the named entities of html.entities.name2codepoint", () => {
    expect(Object.keys(NAME_TO_CODEPOINT)).toHaveLength(252);
    expect(xhtmlUnescape("&eacute;&Eacute;&nbsp;&hellip;&euro;&amp;&lt;&gt;&quot;&apos;")).toBe(
      "\u00e9\u00c9\u00a0\u2026\u20ac&<>\"&apos;",
    );
    // Names need their semicolon; unknown names stay.
    expect(xhtmlUnescape("&amp &bogus; &toString;")).toBe("&amp &bogus; &toString;");
  });

  it("rejects other types with EscapeTypeError", () => {
    expect(() => xhtmlEscape(null as never)).toThrow(EscapeTypeError);
    expect(() => xhtmlEscape({} as never)).toThrow(/xhtmlEscape expects a string or Buffer, got an object/);
    expect(() => xhtmlUnescape(5 as never)).toThrow(TypeError);
  });
});
