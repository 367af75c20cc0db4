// Ported from tornado/test/log_test.py (LogFormatterTest), for LogFormatter on a Logger with
// a file handler of its own.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LogFormatter, Logger, LogLevel, RotatingFileHandler, formatLogRecord, type LogRecord } from "@tornado/ioloop";

// One logging call: the colour markers around the prefix, this file's name and line.
const LINE_RE = /^\x01\[E \d{6} \d{2}:\d{2}:\d{2} log-formatter\.test:\d+\]\x02 (.*)$/s;

describe("LogFormatter", () => {
  let dir: string;
  let file: RotatingFileHandler;
  let logger: Logger;

  beforeEach(() => {
    // Colour faked through a terminal stream, as the Python test patches _colors and _normal.
    const formatter = new LogFormatter({ stream: { isTTY: true, hasColors: () => true } });
    (formatter.colors as Record<number, string>)[LogLevel.ERROR] = "\x01";
    Object.assign(formatter, { normal: "\x02" });
    dir = mkdtempSync(join(tmpdir(), "tornado-log-"));
    file = new RotatingFileHandler(join(dir, "log.out"));
    logger = new Logger("LogFormatterTest");
    logger.propagate = false;
    logger.handlers.push((record: LogRecord) => file.write(formatter.format(record)));
  });

  afterEach(() => {
    file.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function output(): string {
    const line = readFileSync(join(dir, "log.out"), "utf8").trim();
    const match = LINE_RE.exec(line);
    if (match === null) throw new Error(`output didn't match: ${JSON.stringify(line)}`);
    return match[1] as string;
  }

  test("basic logging", () => {
    logger.error("foo");
    expect(output()).toBe("foo");
  });

  test("unicode logging", () => {
    logger.error("\u00e9");
    expect(output()).toBe("\u00e9");
  });

  test("an error's stack follows, indented, its newlines kept", () => {
    logger.error("caught exception", new Error("\u00e9 broke"));
    const text = output();
    expect(text).toMatch(/^caught exception\n {4}Error: \u00e9 broke\n {8}at /);
    expect(text).not.toContain("\\n");
  });

  test("without a terminal there is no colour; fields and widths as Python's %-format", () => {
    const plain = new LogFormatter({ stream: { isTTY: false } });
    const record: LogRecord = { name: "tornado.general", level: LogLevel.WARNING, message: "careful", created: 0, module: "web", lineno: 2271 };
    expect(plain.format(record)).toMatch(/^\[W \d{6} \d{2}:\d{2}:\d{2} web:2271\] careful$/);
    const custom = new LogFormatter({ fmt: "%(levelname)-8s|%(name)s|%(lineno)05d|%(message)s", datefmt: "%Y" });
    expect(custom.format(record)).toBe("WARNING |tornado.general|02271|careful");
    // No call site captured: the logger's name stands where `module:lineno` would.
    expect(formatLogRecord({ ...record, module: undefined, lineno: undefined })).toMatch(/ 00:00:00 tornado\.general\] careful$/);
  });

  test("colours by level on a terminal, as Tornado's defaults", () => {
    const colored = new LogFormatter({ stream: { isTTY: true, hasColors: () => true } });
    const line = colored.format({ name: "x", level: LogLevel.INFO, message: "ok", created: 0, module: "m", lineno: 1 });
    expect(line).toMatch(/^\x1b\[32m\[I \d{6} \d{2}:\d{2}:\d{2} m:1\]\x1b\[0m ok$/);
    expect(new LogFormatter({ color: false, stream: { isTTY: true, hasColors: () => true } }).colors).toEqual({});
  });
});
