// Ported from tornado/test/log_test.py (EnablePrettyLoggingTest, LoggingOptionTest), and the
// default Tornado keeps: INFO dropped until logging is configured.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Logger,
  LogLevel,
  OptionParser,
  RotatingFileHandler,
  defineLoggingOptions,
  enablePrettyLogging,
  genLog,
  getLogHandler,
  setLogHandler,
  stderrLogHandler,
  type LoggingOptions,
  type LogHandler,
} from "@tornado/ioloop";

describe("enablePrettyLogging", () => {
  let dir: string;
  let logger: Logger;
  let options: OptionParser & Required<LoggingOptions>;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "tornado-log-"));
    options = new OptionParser() as OptionParser & Required<LoggingOptions>;
    defineLoggingOptions(options);
    logger = new Logger("tornado.test.log_test.EnablePrettyLoggingTest");
    logger.propagate = false;
  });

  afterEach(() => {
    for (const handler of logger.handlers) (handler as LogHandler & { close?: () => void }).close?.();
    rmSync(dir, { recursive: true, force: true });
  });

  test.each(["size", "time"])("log file (%s rotation)", (mode) => {
    options.logFilePrefix = join(dir, "test_log");
    options.logRotateMode = mode;
    enablePrettyLogging(options, logger);
    expect(logger.handlers).toHaveLength(1);
    logger.error("hello");
    const files = readdirSync(dir).filter((name) => name.startsWith("test_log"));
    expect(files).toHaveLength(1);
    expect(readFileSync(join(dir, files[0] as string), "utf8")).toMatch(/^\[E [^\]]*\] hello\n$/);
  });

  test("wrong rotate mode value", () => {
    options.logFilePrefix = join(dir, "some_path");
    options.logRotateMode = "wrong_mode";
    expect(() => enablePrettyLogging(options, logger)).toThrow(RangeError);
    expect(() => enablePrettyLogging(options, logger)).toThrow(/should be "size" or "time", not "wrong_mode"/);
  });

  test("the level comes from the logging option", () => {
    options.logging = "warning";
    options.logToStderr = false;
    options.logFilePrefix = join(dir, "levels");
    enablePrettyLogging(options, logger);
    logger.info("dropped");
    logger.warning("kept");
    expect(readFileSync(join(dir, "levels"), "utf8")).toMatch(/^\[W [^\]]*\] kept\n$/);
  });
});

describe("RotatingFileHandler", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "tornado-rotate-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("rolls over by size, keeping backupCount files", () => {
    const file = join(dir, "app.log");
    const handler = new RotatingFileHandler(file, { maxBytes: 20, backupCount: 2 });
    for (const line of ["line one", "line two", "line three", "line four", "line five"]) handler.write(line);
    handler.close();
    expect(readdirSync(dir).sort()).toEqual(["app.log", "app.log.1", "app.log.2"]);
    expect(readFileSync(file, "utf8")).toBe("line five\n");
    expect(readFileSync(`${file}.1`, "utf8")).toBe("line four\n");
    expect(readFileSync(`${file}.2`, "utf8")).toBe("line three\n");
  });

  test("rolls over by time to a dated name, deleting the oldest", () => {
    const file = join(dir, "app.log");
    writeFileSync(join(dir, "app.log.2000-01-01_00-00-00"), "very old\n");
    const handler = new RotatingFileHandler(file, { mode: "time", when: "S", interval: 1, backupCount: 1 });
    handler.write("first");
    const start = Date.now();
    while (Date.now() - start < 1100) {
      // the rollover is due a second after the file was opened; no timer is involved
    }
    handler.write("second");
    handler.close();
    const names = readdirSync(dir).sort();
    expect(names).toHaveLength(2);
    expect(names[0]).toBe("app.log");
    expect(names[1]).toMatch(/^app\.log\.\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}$/);
    expect(readFileSync(file, "utf8")).toBe("second\n");
    expect(readFileSync(join(dir, names[1] as string), "utf8")).toBe("first\n");
    expect(() => new RotatingFileHandler(file, { mode: "time", when: "fortnight" })).toThrow(/log_rotate_when/);
  });
});

describe("logging not configured", () => {
  let previous: LogHandler;
  beforeEach(() => (previous = setLogHandler(stderrLogHandler)));
  afterEach(() => setLogHandler(previous));

  test("INFO is dropped before formatting, WARNING and above go to stderr", () => {
    const write = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(genLog.isEnabledFor(LogLevel.INFO)).toBe(false);
      expect(genLog.isEnabledFor(LogLevel.WARNING)).toBe(true);
      genLog.info("quiet");
      genLog.warning("loud");
      expect(write.mock.calls.map((call) => String(call[0]))).toEqual([expect.stringMatching(/^\[W \d{6} [\d:]{8} pretty-logging\.test:\d+\] loud\n$/)]);
    } finally {
      write.mockRestore();
    }
  });

  test("a handler of one's own receives INFO (the logger's level)", () => {
    const seen: string[] = [];
    setLogHandler((record) => seen.push(record.message));
    expect(getLogHandler()).not.toBe(stderrLogHandler);
    genLog.info("now heard");
    genLog.debug("still below the level");
    expect(seen).toEqual(["now heard"]);
  });
});

// LoggingOptionTest: a program that logs "hello" at INFO, with and without Tornado's hooks.
function logsPresent(statement: string, args: string[] = []): boolean {
  const script = join(__dirname, "..", "fixtures", "logging-option.js");
  const result = spawnSync(process.execPath, [script, statement, ...args], { encoding: "utf8" });
  expect(result.status).toBe(0);
  return result.stderr.includes("hello");
}

describe("logging options (subprocesses)", () => {
  test("default: not shown", () => expect(logsPresent("")).toBe(false));
  test("tornado default: parseCommandLine() turns INFO on", () => expect(logsPresent("parseCommandLine()")).toBe(true));
  test("disable on the command line", () => expect(logsPresent("parseCommandLine()", ["--logging=none"])).toBe(false));
  test("disable on the command line, case-insensitive", () => expect(logsPresent("parseCommandLine()", ["--logging=None"])).toBe(false));
  test("disable in code with a string", () => expect(logsPresent('options.logging = "none"; parseCommandLine()')).toBe(false));
  test("disable in code with null", () => expect(logsPresent("options.logging = null; parseCommandLine()")).toBe(false));
  test("the command line overrides the code", () => expect(logsPresent("options.logging = null; parseCommandLine()", ["--logging=info"])).toBe(true));
});
