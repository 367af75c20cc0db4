// The built package is importable by name, and the README example runs and prints what the
// README says.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const PACKAGE_DIR = join(__dirname, "..");
// A workspace package that depends on @tornado/httpclient, so the name resolves through
// node_modules and package.json "exports", as it does for users.
const DEPENDENT_DIR = join(PACKAGE_DIR, "..", "testing");

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: DEPENDENT_DIR, encoding: "utf8", timeout: 30000 });
}

describe("built package", () => {
  beforeAll(() => {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-b"], { cwd: PACKAGE_DIR });
  }, 120000);

  it("requires from CommonJS and imports from ESM", () => {
    expect(node(["-e", 'console.log(typeof require("@tornado/httpclient").AsyncHTTPClient)'])).toBe("function\n");
    expect(
      node(["--input-type=module", "-e", 'import { HTTPRequest } from "@tornado/httpclient"; console.log(typeof HTTPRequest)']),
    ).toBe("function\n");
  });

  it("runs the README example", () => {
    const readme = readFileSync(join(PACKAGE_DIR, "README.md"), "utf8");
    const example = /## Example\s+```js\n([\s\S]*?)```/.exec(readme)![1]!;
    const printed = /prints\s+```text\n([\s\S]*?)```/.exec(readme)![1]!;
    expect(example.trim().split("\n").length).toBeLessThanOrEqual(10);
    expect(node(["--input-type=module", "-e", example])).toBe(printed);
  });
});
