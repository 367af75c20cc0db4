/**
 * The README stays true: its example runs and answers "Hello, Tornado!", its Errors table
 * lists every error code the package defines, and the sections before it name every export
 * of src/index.ts (values and types).
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as web from "@tornado/web";
import { WEB_ERROR_CODES } from "@tornado/web";
import { WEB_FEATURE_ERROR_CODES } from "../src/errors";
import { LogCapture, startServer } from "./support";

const README = readFileSync(join(__dirname, "..", "README.md"), "utf8");

function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no "## ${title}" section`);
  const end = README.indexOf("\n## ", start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

describe("README", () => {
  it("lists every error code in the Errors table, and no others", () => {
    const listed = new Set(section("Errors").match(/TORNADO_ERR_[A-Z_]+/g));
    const defined = new Set<string>([...Object.values(WEB_ERROR_CODES), ...Object.values(WEB_FEATURE_ERROR_CODES)]);
    expect([...defined].filter((code) => !listed.has(code))).toEqual([]);
    expect([...listed].filter((code) => !defined.has(code))).toEqual([]);
  });

  it("names every export of src/index.ts before the Errors table", () => {
    const index = readFileSync(join(__dirname, "..", "src", "index.ts"), "utf8");
    const names: string[] = [];
    for (const [, list] of index.matchAll(/^export (?:type )?\{([^}]*)\}/gm)) {
      for (const item of list!.split(",")) {
        const name = item.trim().replace(/^type /, "").split(" as ").pop()!;
        if (name) names.push(name);
      }
    }
    expect(names.length).toBeGreaterThan(100);
    const api = README.slice(0, README.indexOf("\n## Errors\n"));
    const errors = section("Errors");
    const documented = (name: string) => new RegExp(`\\b${name}\\b`).test(/Error$|_ERROR_CODES$/.test(name) ? errors : api);
    expect(names.filter((name) => !documented(name))).toEqual([]);
  });

  it("runs the example", async () => {
    const example = /```ts\n([\s\S]*?)```/.exec(section("Example"))![1];
    expect(example.split("\n").filter((line) => line.trim()).length).toBeLessThanOrEqual(10);
    // Run it as written, with the import bound to this package and listen() left to the test.
    const body = example
      .replace(/import \{([^}]*)\} from "@tornado\/web";/, "const {$1} = web;")
      .replace(/await app\.listen\(8888\);/, "return app;");
    expect(body).not.toContain("import ");
    const app = new Function("web", `return (async () => {\n${body}\n})();`)(web) as Promise<web.Application>;
    const logs = new LogCapture().start();
    const server = await startServer(await app);
    try {
      const response = await server.fetch("/");
      expect([response.status, response.text]).toEqual([200, "Hello, Tornado!"]);
    } finally {
      await server.close();
      logs.stop();
    }
  });
});
