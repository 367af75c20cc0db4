// The built package is importable by name from ESM (import) and CommonJS (require), and the
// README example runs and prints what the README says.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const PACKAGE_DIR = join(__dirname, "..");
// A workspace package that depends on @tornado/escape: from there the name resolves through
// node_modules and package.json "exports", as it does for users.
const DEPENDENT_DIR = join(PACKAGE_DIR, "..", "template");

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: DEPENDENT_DIR, encoding: "utf8" });
}

describe("built package", () => {
  beforeAll(() => {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-b"], { cwd: PACKAGE_DIR });
  }, 60000);

  it("imports from ESM", () => {
    const output = node([
      "--input-type=module",
      "-e",
      'import { xhtmlEscape, jsonEncode, squeeze } from "@tornado/escape";' +
        'console.log(xhtmlEscape("<a>"), jsonEncode("</"), typeof squeeze);',
    ]);
    expect(output).toBe('&lt;a&gt; "<\\/" function\n');
  });

  it("requires from CommonJS", () => {
    const output = node(["-e", 'const { urlEscape } = require("@tornado/escape"); console.log(urlEscape("a b"));']);
    expect(output).toBe("a+b\n");
  });

  it("runs the README example", () => {
    const readme = readFileSync(join(PACKAGE_DIR, "README.md"), "utf8");
    const example = /## Example\s+```js\n([\s\S]*?)```/.exec(readme)![1]!;
    const printed = /prints\s+```text\n([\s\S]*?)```/.exec(readme)![1]!;
    expect(example.trim().split("\n").length).toBeLessThanOrEqual(10);
    expect(node(["--input-type=module", "-e", example])).toBe(printed);
  });
});
