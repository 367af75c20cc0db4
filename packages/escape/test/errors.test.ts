// Keeps the README's Errors table true: every exported code is listed, and nothing else.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ESCAPE_ERROR_CODES, EscapeTypeError, brandError } from "@tornado/escape";

describe("errors", () => {
  it("README lists every error code", () => {
    const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
    const table = readme.split("## Errors")[1]!.split("\n## ")[0]!;
    const listed = [...table.matchAll(/`(TORNADO_ERR_[A-Z_]+)`/g)].map((match) => match[1]);
    expect(listed.sort()).toEqual(Object.values(ESCAPE_ERROR_CODES).sort());
  });

  it("EscapeTypeError carries name and code and is a TypeError", () => {
    const error = new EscapeTypeError("bad");
    expect(error.name).toBe("EscapeTypeError");
    expect(error.code).toBe("TORNADO_ERR_ESCAPE_BAD_TYPE");
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toBeInstanceOf(EscapeTypeError);
  });

  it("brandError recognises a branded error from another copy of the class", () => {
    class CopyA extends Error {}
    class CopyB extends Error {}
    brandError(CopyA, "TORNADO_ERR_TEST_BRAND");
    brandError(CopyB, "TORNADO_ERR_TEST_BRAND");
    expect(new CopyB()).toBeInstanceOf(CopyA);
    expect(new Error()).not.toBeInstanceOf(CopyA);
    class Sub extends CopyA {}
    expect(new Sub()).toBeInstanceOf(Sub);
    expect(new CopyA()).not.toBeInstanceOf(Sub);
  });
});
