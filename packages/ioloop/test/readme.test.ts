// Keeps the README true: its Errors table lists every code of IOLOOP_ERROR_CODES (and no
// other), it documents the event-loop exports, and its Example prints what it says it prints.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ioloop from "@tornado/ioloop";
import ts from "typescript";

const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");

function section(heading: string): string {
  return readme.split(`\n## ${heading}\n`)[1]!.split("\n## ")[0]!;
}

describe("README", () => {
  test("the Errors table lists every error code", () => {
    const table = section("Errors");
    const listed = [...table.matchAll(/`(TORNADO_ERR_[A-Z_]+)`/g)].map((match) => match[1]);
    expect(listed.sort()).toEqual(Object.values(ioloop.IOLOOP_ERROR_CODES).sort());
    for (const name of Object.keys(ioloop.IOLOOP_ERROR_CODES)) expect(table).toContain(`\`${name}\``);
  });

  test("the API section names every event-loop, lock, queue, gen, process and log export", () => {
    const api = section("API");
    const names = [
      "IOLoop", "TimeoutHandle", "PeriodicCallback", "sleep", "moment", "withTimeout", "multi",
      "Condition", "Event", "Semaphore", "BoundedSemaphore", "Lock", "Releaser", "Queue",
      "PriorityQueue", "defaultCompare", "LifoQueue", "forkProcesses", "taskId", "cpuCount",
      "accessLog", "appLog", "genLog", "Logger", "LogLevel", "setLogHandler", "stderrLogHandler",
      "formatLogRecord", "LogHandler", "LogRecord",
    ];
    for (const name of names) {
      expect(api).toMatch(new RegExp(`\`(new )?${name}\\b`));
    }
  });

  test("the Example prints what the README says", async () => {
    const example = section("Example");
    const code = /```ts\n([\s\S]*?)```/.exec(example)![1]!;
    const expected = /```text\n([\s\S]*?)```/.exec(example)![1]!;
    const body = code.replace(
      /import \{([^}]*)\} from "@tornado\/ioloop";/,
      (_match, names: string) => `const {${names}} = ioloop;`,
    );
    const js = ts.transpileModule(body, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
    const lines: string[] = [];
    const capture = { log: (...values: unknown[]) => lines.push(values.join(" ")) };
    const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<void>;
    await new AsyncFunction("ioloop", "console", js)(ioloop, capture);
    expect(lines.join("\n") + "\n").toBe(expected);
    expect(code.split("\n").filter(Boolean).length).toBeLessThanOrEqual(10);
  });
});
