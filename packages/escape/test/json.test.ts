// Ported from tornado/test/escape_test.py: test_json_decode, test_json_encode; and
// ARCHITECTURE decision 1 (JSON.stringify with "</" written as "<\/").
import { jsonEncode, jsonDecode, utf8, EscapeTypeError } from "@tornado/escape";

describe("jsonEncode (ARCHITECTURE decision 1)", () => {
  it("is JSON.stringify with </ escaped", () => {
    expect(jsonEncode({ a: "</script>" })).toBe('{"a":"<\\/script>"}');
    expect(jsonEncode({ k: null, t: true, f: 1.5 })).toBe('{"k":null,"t":true,"f":1.5}');
    expect(jsonEncode([1, 2, "\u00e9"])).toBe('[1,2,"\u00e9"]');
    expect(jsonEncode("\u2028")).toBe('"\u2028"');
    expect(jsonEncode("a</b</c")).toBe('"a<\\/b<\\/c"');
  });

  it("decodes to the same values as Python's json_encode output", () => {
    const python = '{"a": "<\\/script>", "b": [1, 2, "\\u00e9"], "c": "\\u2028"}';
    const ours = jsonEncode({ a: "</script>", b: [1, 2, "\u00e9"], c: "\u2028" });
    expect(jsonDecode(ours)).toEqual(jsonDecode(python));
  });

  it("refuses values JSON cannot hold", () => {
    expect(() => jsonEncode(undefined)).toThrow(EscapeTypeError);
    expect(() => jsonEncode(() => 1)).toThrow(/cannot encode a function/);
  });
});

describe("jsonDecode", () => {
  it("takes bytes or strings", () => {
    expect(jsonDecode(Buffer.from('"foo"'))).toBe("foo");
    expect(jsonDecode('"foo"')).toBe("foo");
    expect(jsonDecode(utf8('"\u00e9"'))).toBe("\u00e9");
  });

  it("round-trips through jsonEncode", () => {
    expect(jsonDecode(jsonEncode("\u00e9"))).toBe("\u00e9");
    const value = { nested: { list: [1, "two", null, false] }, html: "</b>" };
    expect(jsonDecode(jsonEncode(value))).toEqual(value);
  });

  it("throws SyntaxError on bad JSON", () => {
    expect(() => jsonDecode("{")).toThrow(SyntaxError);
  });
});
