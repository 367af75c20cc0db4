/**
 * The README stays true: its example runs as written (on a free port) and prints
 * "echo: hello", and its Errors table lists every error code the package defines.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import * as web from "@tornado/web";
import * as websocket from "@tornado/websocket";
import { bindUnusedPort } from "@tornado/testing";
import type { HTTPServer } from "@tornado/httpserver";
import { LogCapture } from "./support";

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
    const defined = new Set<string>(Object.values(websocket.WEBSOCKET_ERROR_CODES));
    expect([...defined].filter((code) => !listed.has(code))).toEqual([]);
    expect([...listed].filter((code) => !defined.has(code))).toEqual([]);
  });

  it("runs the example", async () => {
    const example = /```ts\n([\s\S]*?)```/.exec(section("Example"))![1]!;
    expect(example.split("\n").filter((line) => line.trim()).length).toBeLessThanOrEqual(10);
    const { server: probe, port } = await bindUnusedPort();
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const body = example
      .replace(/import \{([^}]*)\} from "@tornado\/web";/, "const {$1} = web;")
      .replace(/import \{([^}]*)\} from "@tornado\/websocket";/, "const {$1} = websocket;")
      .replace(/console\.log\(/g, "print(")
      .replaceAll("8888", String(port));
    expect(body).not.toContain("import ");
    const source = `async function example() {\n${body}\nreturn { server, client };\n}`;
    const js = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText + "\nreturn example();";
    const printed: unknown[] = [];
    const logs = new LogCapture();
    logs.start();
    try {
      const run = new Function("web", "websocket", "print", js) as (...args: unknown[]) => Promise<{
        server: HTTPServer;
        client: websocket.WebSocketClientConnection;
      }>;
      const { server, client } = await run(web, websocket, (value: unknown) => printed.push(value));
      expect(printed).toEqual(["echo: hello"]);
      client.close();
      await client.whenClosed();
      server.stop();
      await server.closeAllConnections();
    } finally {
      logs.stop();
    }
  });
});
