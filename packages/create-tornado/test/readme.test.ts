// Keeps the README true: its Errors table lists every code, its API table every export, and
// its example runs (it packs the workspace into a temporary folder: about 10 s).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ts from "typescript";
import * as createTornado from "create-tornado";

const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");

describe("README", () => {
  it("lists every error code in the Errors table", () => {
    const table = readme.split("\n## Errors\n")[1]!.split("\n## ")[0]!;
    const listed = [...table.matchAll(/`(TORNADO_ERR_[A-Z_]+)`/g)].map((match) => match[1]);
    expect(listed.sort()).toEqual(Object.values(createTornado.CREATE_TORNADO_ERROR_CODES).sort());
  });

  it("names every export in the API table", () => {
    const api = readme.split("\n## API\n")[1]!.split("\n## ")[0]!;
    const documented = new Set([...api.matchAll(/`([A-Za-z_]+)[`(]/g)].map((match) => match[1]));
    const errorsTable = readme.split("\n## Errors\n")[1]!;
    for (const name of Object.keys(createTornado)) {
      expect({ name, documented: documented.has(name) || errorsTable.includes(`\`${name}\``) || name.endsWith("_ERROR_CODES") }).toEqual({
        name,
        documented: true,
      });
    }
  });

  it("has an example of at most 10 lines that makes an app", () => {
    const example = /## Example\n\n```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    expect(example.trim().split("\n").length).toBeLessThanOrEqual(10);
    const work = mkdtempSync(join(tmpdir(), "create-tornado-readme-"));
    try {
      const directory = join(work, "my-app");
      const { outputText } = ts.transpileModule(example.replace('"../my-app"', JSON.stringify(directory)), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
      });
      const printed: unknown[][] = [];
      const run = new Function("require", "exports", "console", outputText);
      run((name: string) => (name === "create-tornado" ? createTornado : require(name)), {}, { log: (...values: unknown[]) => printed.push(values) });
      expect(printed).toEqual([["my-app", expect.arrayContaining([expect.stringMatching(/^tornado-tornado-0\.0\.0-[0-9a-f]{10}\.tgz$/)])]]);
      for (const file of printed[0]![1] as string[]) expect(existsSync(join(directory, "tarballs", file))).toBe(true);
      expect(existsSync(join(directory, "src", "main.ts"))).toBe(true);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});
