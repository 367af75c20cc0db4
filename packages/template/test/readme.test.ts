// The README example runs (against the built package, from ESM) and prints what the README
// says; the Errors table lists every error code.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TEMPLATE_ERROR_CODES } from "@tornado/template";

const PACKAGE_DIR = join(__dirname, "..");
const README = readFileSync(join(PACKAGE_DIR, "README.md"), "utf8");

describe("README", () => {
  beforeAll(() => {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-b"], { cwd: PACKAGE_DIR });
  }, 120000);

  it("runs the example", () => {
    const example = /## Example\s+```js\n([\s\S]*?)```/.exec(README)![1]!;
    const printed = /prints\s+```text\n([\s\S]*?)```/.exec(README)![1]!;
    expect(example.trim().split("\n").length).toBeLessThanOrEqual(10);
    // Resolve the package by name as users do: from bench/, a workspace dependent of it.
    const output = execFileSync(process.execPath, ["--input-type=module", "-e", example], {
      cwd: join(PACKAGE_DIR, "..", "..", "bench"),
      encoding: "utf8",
    });
    expect(output).toBe(printed);
  });

  it("lists every error code in the Errors table", () => {
    const table = README.split("## Errors")[1]!.split("\n## ")[0]!;
    const listed = [...table.matchAll(/`(TORNADO_ERR_[A-Z_]+)`/g)].map((match) => match[1]);
    expect(listed.sort()).toEqual(Object.values(TEMPLATE_ERROR_CODES).sort());
  });
});
