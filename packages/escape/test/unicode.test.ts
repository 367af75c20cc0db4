// Ported from tornado/test/escape_test.py: test_recursive_unicode and the utf8/to_unicode basics.
import { utf8, toUnicode, recursiveUnicode, EscapeTypeError } from "@tornado/escape";

describe("utf8 / toUnicode", () => {
  it("converts between strings and UTF-8 bytes", () => {
    expect(utf8("\u00e9")).toEqual(Buffer.from("c3a9", "hex"));
    expect(toUnicode(Buffer.from("c3a9", "hex"))).toBe("\u00e9");
    expect(toUnicode(new Uint8Array([0x68, 0x69]))).toBe("hi");
  });

  it("passes bytes, strings and null through", () => {
    const bytes = Buffer.from("x");
    expect(utf8(bytes)).toBe(bytes);
    expect(utf8(null)).toBeNull();
    expect(utf8(undefined)).toBeUndefined();
    expect(toUnicode("x")).toBe("x");
    expect(toUnicode(null)).toBeNull();
  });

  it("raises EscapeTypeError (a TypeError) on other types", () => {
    expect(() => utf8(42 as never)).toThrow(EscapeTypeError);
    expect(() => utf8(42 as never)).toThrow(TypeError);
    expect(() => toUnicode({} as never)).toThrow(/toUnicode expects/);
  });
});

describe("recursiveUnicode", () => {
  it("decodes bytes inside objects, arrays and Maps", () => {
    expect(recursiveUnicode({ foo: Buffer.from("bar") })).toEqual({ foo: "bar" });
    expect(recursiveUnicode([Buffer.from("foo"), Buffer.from("bar")])).toEqual(["foo", "bar"]);
    expect(recursiveUnicode(Buffer.from("foo"))).toBe("foo");
    const map = recursiveUnicode<Map<string, string>>(new Map([[Buffer.from("foo"), Buffer.from("bar")]]));
    expect([...map]).toEqual([["foo", "bar"]]);
    expect(recursiveUnicode({ a: [{ b: Buffer.from("c") }], n: 1 })).toEqual({ a: [{ b: "c" }], n: 1 });
  });
});
