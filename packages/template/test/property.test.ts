// Property-based tests (fast-check) of the template parser: plain text renders as itself;
// any source either compiles or throws ParseError (never another error), and never hangs.
import fc from "fast-check";
import { ParseError, Template } from "@tornado/template";

describe("template parser properties", () => {
  it("renders text without template syntax verbatim", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }).filter((text) => !text.includes("{")), (text) => {
        expect(new Template(text, { whitespace: "all" }).generate()).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it("compiles any source or throws ParseError, never another error", () => {
    const pieces = fc.constantFrom("{{", "}}", "{%", "%}", "{#", "#}", "{{!", "{%!", " if x ", " end ", " for i in xs ", " block b ", " raw x ", " set y = 1 ", " comment ", "x", " ", "\n", "'", '"', "(", ")");
    const source = fc.array(fc.oneof(pieces, fc.string({ maxLength: 5 })), { maxLength: 20 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(source, (text) => {
        try {
          new Template(text);
        } catch (error) {
          expect(error).toBeInstanceOf(ParseError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
