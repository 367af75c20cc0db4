// Keeps the README true: the Errors table lists every code, and the example (a Jest test
// file) runs here as written: it is transpiled and evaluated while this file is collected,
// so the hooks and the test it declares are this file's.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { TESTING_ERROR_CODES } from "@tornado/testing";

const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");

test("README lists every error code", () => {
  const table = readme.split("## Errors")[1]!.split("\n## ")[0]!;
  const listed = [...table.matchAll(/`(TORNADO_ERR_[A-Z_]+)`/g)].map((match) => match[1]);
  expect(listed.sort()).toEqual(Object.values(TESTING_ERROR_CODES).sort());
});

describe("README example", () => {
  const example = /## Example[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)![1]!;
  test("is at most 10 lines", () => {
    expect(example.trim().split("\n").length).toBeLessThanOrEqual(10);
  });
  const { outputText } = ts.transpileModule(example, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function("require", "exports", "it", "expect", "beforeEach", "afterEach", outputText)(
    require,
    {},
    it,
    expect,
    beforeEach,
    afterEach,
  );
});
