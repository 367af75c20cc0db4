// Keeps the README true: the Errors table lists every code, the example (a node:test file)
// passes under `node --test`, and the Jest variant runs here as written.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { TESTING_ERROR_CODES } from "@tornado/testing";

const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");

test("README lists every error code", () => {
  const table = readme.split("## Errors")[1]!.split("\n## ")[0]!;
  const listed = [...table.matchAll(/`(TORNADO_ERR_[A-Z_]+)`/g)].map((match) => match[1]);
  expect(listed.sort()).toEqual(Object.values(TESTING_ERROR_CODES).sort());
});

/** The ```ts block that follows `heading` in the README. */
function block(heading: string): string {
  return new RegExp(`${heading}\\n[\\s\\S]*?\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(readme)![1]!;
}

describe("README example (node:test)", () => {
  const example = block("## Example");
  test("is at most 10 lines", () => {
    expect(example.trim().split("\n").length).toBeLessThanOrEqual(10);
  });

  // Run as written by `node --test`, against the built packages: the file lives inside this
  // package, so its imports resolve as an installed user's do.
  test("passes under node --test", async () => {
    const directory = mkdtempSync(join(__dirname, "readme-"));
    try {
      const file = join(directory, "example.test.mjs");
      const { outputText } = ts.transpileModule(example, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      });
      writeFileSync(file, outputText);
      const child = spawn(process.execPath, ["--test", file], { stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout!.on("data", (chunk) => (output += chunk));
      child.stderr!.on("data", (chunk) => (output += chunk));
      const code = await new Promise((resolve) => child.once("close", resolve));
      expect({ code, output }).toEqual({ code: 0, output: expect.stringMatching(/^# pass 1$/m) });
      expect(output).toMatch(/^ok 1 - says hello$/m);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }, 90_000); // a node process of its own: slow to start on a loaded machine
});

describe("README example (Jest)", () => {
  const example = block("### With Jest");
  test("is at most 10 lines", () => {
    expect(example.trim().split("\n").length).toBeLessThanOrEqual(10);
  });
  // Evaluated while this file is collected, so the hooks and the test it declares are this file's.
  const { outputText } = ts.transpileModule(example, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  new Function("require", "exports", "it", "expect", "beforeEach", "afterEach", outputText)(
    require,
    {},
    it,
    expect,
    beforeEach,
    afterEach,
  );
});
