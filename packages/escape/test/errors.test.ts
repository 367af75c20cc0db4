// Keeps the README's Errors table true: every exported code is listed, and nothing else.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ESCAPE_ERROR_CODES, EscapeTypeError } from "@tornado/escape";
import { TornadoError } from "@tornado/util";

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
    expect(error).toBeInstanceOf(TornadoError);
  });
});
