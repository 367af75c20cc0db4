// ExpectLog with the loggers of @tornado/ioloop (testing_test.py: ExpectLogTest).
import { LogLevel, Logger, appLog, genLog, setLogHandler, type LogRecord } from "@tornado/ioloop";
import { ExpectLog, ExpectLogError } from "@tornado/testing";

let passedOn: LogRecord[];
let restore: ReturnType<typeof setLogHandler>;

beforeEach(() => {
  passedOn = [];
  restore = setLogHandler((record) => passedOn.push(record));
});

afterEach(() => {
  setLogHandler(restore);
});

test("a matching line is swallowed and counted", async () => {
  await ExpectLog.run(genLog, /^expected \d+$/, () => {
    genLog.warning("expected 42");
  });
  expect(passedOn).toEqual([]);
});

test("a required line that never came fails (test_required_not_logged)", async () => {
  const error = await ExpectLog.run(genLog, "never logged", () => undefined).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ExpectLogError);
  expect((error as ExpectLogError).message).toMatch(/did not get expected log message/);
  expect((error as ExpectLogError).code).toBe("TORNADO_ERR_TESTING_EXPECT_LOG");
});

test("required false passes without the line (test_required_false)", async () => {
  await ExpectLog.run(genLog, "never logged", () => undefined, { required: false });
});

test("other loggers and other lines pass through to the previous handler", async () => {
  await ExpectLog.run(genLog, /wanted/, () => {
    genLog.warning("wanted");
    genLog.warning("something else");
    appLog.error("application trouble");
  });
  expect(passedOn.map((record) => record.message)).toEqual(["something else", "application trouble"]);
});

test("failOnUnexpected fails on other WARNING+ lines of the logger, not on INFO", async () => {
  const error = await ExpectLog.run(
    genLog,
    /wanted/,
    () => {
      genLog.warning("wanted");
      genLog.info("chatty but fine");
      genLog.error("surprise");
    },
    { failOnUnexpected: true },
  ).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ExpectLogError);
  expect((error as Error).message).toBe("unexpected log messages on tornado.general:\n  tornado.general: surprise");
});

test("level matches only that level and lowers the logger's level meanwhile (test_with_level)", async () => {
  const logger = new Logger("tornado.test.level");
  expect(logger.level).toBe(LogLevel.INFO);
  await ExpectLog.run(
    logger,
    /debug line/,
    () => {
      expect(logger.level).toBe(LogLevel.DEBUG);
      logger.debug("debug line");
    },
    { level: LogLevel.DEBUG },
  );
  expect(logger.level).toBe(LogLevel.INFO);
  // The same text at another level does not match.
  const error = await ExpectLog.run(logger, /line/, () => logger.warning("line"), { level: LogLevel.ERROR }).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExpectLogError);
});

test("child loggers are watched; loggedStack tells whether an error came with the line", async () => {
  const child = new Logger("tornado.general.child");
  const expectation = new ExpectLog("tornado.general", /with stack/).start();
  child.error("with stack", new Error("inner"));
  expectation.finish();
  expect(expectation.matched).toBe(1);
  expect(expectation.loggedStack).toBe(true);
});

test("expectations nest, and an error in the body cleans up without hiding it", async () => {
  const boom = new Error("body failed");
  await ExpectLog.run(genLog, /outer/, async () => {
    await expect(ExpectLog.run(genLog, /inner/, () => Promise.reject(boom))).rejects.toBe(boom);
    genLog.warning("outer");
  });
  genLog.warning("after");
  expect(passedOn.map((record) => record.message)).toEqual(["after"]);
});
