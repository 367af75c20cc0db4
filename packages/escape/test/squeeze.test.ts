// Ported from tornado/test/escape_test.py: test_squeeze.
import { squeeze } from "@tornado/escape";

describe("squeeze", () => {
  it("collapses runs of whitespace", () => {
    expect(squeeze("sequences     of    whitespace   chars")).toBe("sequences of whitespace chars");
    expect(squeeze("  a \t\n b  ")).toBe("a b");
    expect(squeeze("a\x00\x01b")).toBe("a b");
    expect(squeeze("")).toBe("");
  });

  it("rejects non-strings", () => {
    expect(() => squeeze(1 as never)).toThrow(/squeeze expects a string, got 1/);
  });
});
