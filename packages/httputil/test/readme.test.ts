// Keeps the README true: its Errors table lists every code of HTTPUTIL_ERROR_CODES (and no
// other) with each class's status, its API tables name every export, and its Example prints
// what it says.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { format } from "node:util";
import ts from "typescript";
import * as httputil from "../src/index";

const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");

function section(heading: string): string {
  return readme.split(`\n## ${heading}\n`)[1]!.split("\n## ")[0]!;
}

describe("README", () => {
  test("the Errors table lists every error code and class, with its status", () => {
    const table = section("Errors");
    const listed = [...table.matchAll(/`(TORNADO_ERR_[A-Z_]+)`/g)].map((match) => match[1]);
    expect(listed.sort()).toEqual(Object.values(httputil.HTTPUTIL_ERROR_CODES).sort());
    for (const [name, code] of Object.entries(httputil.HTTPUTIL_ERROR_CODES)) {
      expect(table).toContain(`| \`${name}\` | \`${code}\``);
      const ErrorClass = (httputil as unknown as Record<string, new (message: string) => { code: string; statusCode?: number }>)[name]!;
      const error = new ErrorClass("x");
      expect(error.code).toBe(code);
      expect(error).toBeInstanceOf(Error);
      expect(table).toContain(`\`${code}\` | ${error.statusCode ?? "—"} |`);
    }
  });

  test("the API section names every export", () => {
    const api = section("API");
    for (const name of Object.keys(httputil)) {
      if (name === "HTTPUTIL_ERROR_CODES" || /Error$/.test(name)) continue;
      expect([name, api.includes(`\`${name}`)]).toEqual([name, true]);
    }
  });

  test("the Example prints what the README says", () => {
    const example = section("Example");
    const code = /```ts\n([\s\S]*?)```/.exec(example)![1]!;
    const expected = /```text\n([\s\S]*?)```/.exec(example)![1]!;
    expect(code.split("\n").filter(Boolean).length).toBeLessThanOrEqual(10);
    const body = code.replace(/import \{([^}]*)\} from "@tornado\/httputil";/, (_m, names: string) => `const {${names}} = module;`);
    const js = ts.transpileModule(body, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
    const lines: string[] = [];
    const capture = { log: (...values: unknown[]) => lines.push(format(...values)) };
    new Function("module", "console", js)(httputil, capture);
    expect(lines.join("\n") + "\n").toBe(expected);
  });
});
