import { join } from "node:path";
import { fileNameProblem, pathInside } from "../src/file-name";

describe("fileNameProblem", () => {
  it.each(["notes.txt", "résumé 2026.pdf", "東京.png", "a..b", "x".repeat(255), "é".repeat(127)])("accepts %j", (name) => {
    expect(fileNameProblem(name)).toBeNull();
  });

  it.each([
    ["", "the file name is empty"],
    [".", "the file name starts with a dot"],
    ["..", "the file name starts with a dot"],
    [".bashrc", "the file name starts with a dot"],
    ["../x", "the file name contains a path separator"],
    ["a/b", "the file name contains a path separator"],
    ["a\\b", "the file name contains a path separator"],
    ["a\u0000b", "the file name contains a control character"],
    ["a\u007fb", "the file name contains a control character"],
    ["x".repeat(256), "the file name is longer than 255 bytes"],
    ["é".repeat(128), "the file name is longer than 255 bytes"],
  ])("refuses %j: %s", (name, problem) => {
    expect(fileNameProblem(name)).toBe(problem);
  });
});

describe("pathInside", () => {
  it("joins a checked name to the directory", () => {
    expect(pathInside("/srv/uploads/", "a.txt")).toBe(join("/srv/uploads", "a.txt"));
  });

  it.each(["../etc/passwd", "/etc/passwd", "..", "."])("throws for %j, which would not be inside", (name) => {
    expect(() => pathInside("/srv/uploads", name)).toThrow("resolves outside /srv/uploads");
  });
});
