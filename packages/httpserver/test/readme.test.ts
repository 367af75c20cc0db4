// Keeps the README true: its Errors table lists every code of HTTPSERVER_ERROR_CODES (and no
// other), its API tables name every export, and its Example prints what it says.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import * as httputil from "@tornado/httputil";
import * as httpserver from "../src/index";

const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");

function section(heading: string): string {
  return readme.split(`\n## ${heading}\n`)[1]!.split("\n## ")[0]!;
}

describe("README", () => {
  test("the Errors table lists every error code and class", () => {
    const table = section("Errors");
    const listed = [...table.matchAll(/`(TORNADO_ERR_[A-Z0-9_]+)`/g)].map((match) => match[1]);
    expect(listed.sort()).toEqual(Object.values(httpserver.HTTPSERVER_ERROR_CODES).sort());
    for (const [name, code] of Object.entries(httpserver.HTTPSERVER_ERROR_CODES)) {
      expect(table).toContain(`\`${name}\``);
      const ErrorClass = (httpserver as unknown as Record<string, new (message: string) => { code: string; statusCode?: number }>)[name]!;
      const error = new ErrorClass("x");
      expect(error.code).toBe(code);
      expect(error).toBeInstanceOf(Error);
      if (error.statusCode !== undefined) expect(table).toMatch(new RegExp(`\`${code}\` \\| ${error.statusCode}`));
    }
  });

  test("the API section names every export", () => {
    const api = section("API");
    for (const name of Object.keys(httpserver)) {
      if (name === "HTTPSERVER_ERROR_CODES" || /Error$/.test(name)) continue;
      expect([name, api.includes(name)]).toEqual([name, true]);
    }
  });

  test("the Example prints what the README says", () => runExample(section("Example")));

  test("the HTTP/2 example prints what the README says", () => runExample(section("HTTP/2")));
});

/** Runs the first ts block of `text` (port 0 for 8888) and compares its console output with the text block. */
async function runExample(text: string): Promise<void> {
  const code = /```ts\n([\s\S]*?)```/.exec(text)![1]!;
  const expected = /```text\n([\s\S]*?)```/.exec(text)![1]!;
  expect(code.split("\n").filter(Boolean).length).toBeLessThanOrEqual(10);
  // Port 0 instead of 8888, and every server the example makes is closed afterwards.
  const servers: httpserver.HTTPServer[] = [];
  class TrackedServer extends httpserver.HTTPServer {
    constructor(...args: ConstructorParameters<typeof httpserver.HTTPServer>) {
      super(...args);
      servers.push(this);
    }
  }
  const body = code
    .replace(/import \{([^}]*)\} from "@tornado\/httpserver";/, (_m, names: string) => `const {${names}} = { ...module, HTTPServer: TrackedServer };`)
    .replace(/import \{([^}]*)\} from "@tornado\/httputil";/, (_m, names: string) => `const {${names}} = httputil;`)
    .replace('import * as http2 from "node:http2";', 'const http2 = require("node:http2");')
    .replace("server.listen(8888, ", "server.listen(0, ")
    .replace('"http://127.0.0.1:8888/', '"http://127.0.0.1:" + server.boundPorts()[0] + "/');
  const js = ts.transpileModule(body, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  const lines: string[] = [];
  const capture = { log: (...values: unknown[]) => lines.push(values.join(" ")) };
  const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<void>;
  try {
    await new AsyncFunction("module", "httputil", "TrackedServer", "console", "require", js)(httpserver, httputil, TrackedServer, capture, require);
  } finally {
    for (const server of servers) {
      server.stop();
      await server.closeAllConnections();
    }
  }
  expect(lines.join("\n") + "\n").toBe(expected);
}
