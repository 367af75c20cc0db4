// Property-based tests (fast-check): the escape functions round-trip any text.
import fc from "fast-check";
import { urlEscape, urlUnescape, xhtmlEscape, xhtmlUnescape } from "@tornado/escape";

describe("escape properties", () => {
  it("xhtmlUnescape(xhtmlEscape(s)) is s, and the escaped form holds no markup character", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (text) => {
        const escaped = xhtmlEscape(text);
        expect(escaped).not.toMatch(/[<>"']/);
        expect(xhtmlUnescape(escaped)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it("urlUnescape(urlEscape(s)) is s, with and without plus, for any well-formed text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), fc.boolean(), (text, plus) => {
        const escaped = urlEscape(text, plus);
        // quote() keeps "/" unescaped without plus, as Python does.
        expect(escaped).toMatch(plus ? /^[A-Za-z0-9_.~%+-]*$/ : /^[A-Za-z0-9_.~%/-]*$/);
        expect(urlUnescape(escaped, { plus })).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it("urlUnescape never throws on arbitrary input", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (text) => {
        expect(typeof urlUnescape(text)).toBe("string");
      }),
      { numRuns: 500 },
    );
  });
});
