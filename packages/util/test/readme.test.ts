// Keeps the README true: the Errors table lists every code, the API table every export, and
// the example runs against the built package and prints what the README says.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as util from "@tornado/util";

const PACKAGE_DIR = join(__dirname, "..");
const README = readFileSync(join(PACKAGE_DIR, "README.md"), "utf8");

function section(title: string): string {
  return README.split(`## ${title}`)[1]!.split("\n## ")[0]!;
}

describe("README", () => {
  beforeAll(() => {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-b"], { cwd: PACKAGE_DIR });
  }, 60000);

  it("the Errors table lists every error code", () => {
    const listed = [...section("Errors").matchAll(/`(TORNADO_ERR_[A-Z_]+)`/g)].map((match) => match[1]);
    expect(listed.sort()).toEqual(Object.values(util.UTIL_ERROR_CODES).sort());
  });

  it("the API table names every export", () => {
    const table = section("API");
    for (const name of Object.keys(util)) expect({ name, listed: table.includes(`\`${name}`) }).toEqual({ name, listed: true });
  });

  it("the example runs from ESM and prints what the README says", () => {
    const example = /## Example\s+```js\n([\s\S]*?)```/.exec(README)![1]!;
    const printed = /prints\s+```text\n([\s\S]*?)```/.exec(README)![1]!;
    expect(example.trim().split("\n").length).toBeLessThanOrEqual(10);
    const output = execFileSync(process.execPath, ["--input-type=module", "-e", example], {
      cwd: PACKAGE_DIR,
      encoding: "utf8",
    });
    expect(output).toBe(printed);
  });

  it("requires from CommonJS", () => {
    const output = execFileSync(
      process.execPath,
      ["-e", 'const { isThenable } = require("@tornado/util"); console.log(isThenable(Promise.resolve()));'],
      { cwd: PACKAGE_DIR, encoding: "utf8" },
    );
    expect(output).toBe("true\n");
  });
});
