// Property-based tests (fast-check) of signed values: any name and value round-trip (formats
// 1 and 2), and changing any one character of the signed value makes it fail to verify.
import fc from "fast-check";
import { createSignedValue, decodeSignedValue } from "@tornado/web";

const SECRET = "property-secret";
const name = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/);

describe("signed value properties", () => {
  it("decodes what it signed, in both formats", () => {
    fc.assert(
      fc.property(name, fc.string({ unit: "grapheme", maxLength: 100 }), fc.constantFrom(1, 2), (key, value, version) => {
        const signed = createSignedValue(SECRET, key, value, { version });
        expect(decodeSignedValue(SECRET, key, signed)?.toString("utf8")).toBe(value);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses a signed value with any one character changed, and one signed for another name", () => {
    fc.assert(
      fc.property(name, fc.string({ maxLength: 50 }), fc.nat(), fc.integer({ min: 33, max: 126 }), (key, value, at, replacement) => {
        const signed = Buffer.from(createSignedValue(SECRET, key, value).toString());
        const index = at % signed.length;
        fc.pre(signed[index] !== replacement);
        signed[index] = replacement;
        expect(decodeSignedValue(SECRET, key, signed.toString())).toBeNull();
        expect(decodeSignedValue(SECRET, `${key}x`, createSignedValue(SECRET, key, value))).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
