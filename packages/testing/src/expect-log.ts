/**
 * ExpectLog: asserts that a Tornado logger logged a matching line, and keeps matching lines
 * out of the test output. Tornado: testing.ExpectLog.
 */

import { describeValue } from "@tornado/util";
import { LogLevel, setLogHandler, type LogHandler, type LogRecord, type Logger } from "@tornado/ioloop";
import { ExpectLogError, TestingArgumentError } from "./errors";

export interface ExpectLogOptions {
  /** Fail when no matching line was logged, default true. */
  required?: boolean;
  /**
   * Match only records of this level; the logger's level is lowered for the duration if it
   * would drop them (Tornado's `level`).
   */
  level?: LogLevel;
  /**
   * Also fail when the logger (or a child) logged something at WARNING or above that did not
   * match, default false. Unexpected lines are passed on to the previous handler either way.
   */
  failOnUnexpected?: boolean;
}

/**
 * Use `await ExpectLog.run(logger, regex, body)`, or `start()` / `finish()` around the code
 * (Python's `with ExpectLog(...)`). Expectations nest.
 *
 * @example
 * await ExpectLog.run(genLog, /Malformed HTTP/, async () => { await sendGarbage(); });
 */
export class ExpectLog {
  readonly loggerName: string;
  readonly regex: RegExp;
  readonly required: boolean;
  readonly level: LogLevel | undefined;
  readonly failOnUnexpected: boolean;
  /** How many records matched. */
  matched = 0;
  /** True when a matching record carried an error (a stack). Tornado: logged_stack. */
  loggedStack = false;
  /** The records of the watched logger that did not match (any level). */
  readonly unexpected: LogRecord[] = [];
  readonly #logger: Logger | undefined;
  #previousHandler: LogHandler | undefined;
  #previousLevel: LogLevel | undefined;

  /**
   * @param logger a Logger from @tornado/ioloop (genLog, appLog, accessLog) or a logger name;
   *   its child loggers ("tornado.general.x") are watched too
   * @param regex matched against each message (a string is compiled as a RegExp)
   */
  constructor(logger: Logger | string, regex: RegExp | string, options: ExpectLogOptions = {}) {
    if (typeof logger === "string") {
      this.loggerName = logger;
    } else if (logger !== null && typeof logger === "object" && typeof logger.name === "string") {
      this.loggerName = logger.name;
      this.#logger = logger;
    } else {
      throw new TestingArgumentError(`logger must be a Logger or a logger name, got ${describeValue(logger)}`);
    }
    if (typeof regex === "string") regex = new RegExp(regex);
    if (!(regex instanceof RegExp)) throw new TestingArgumentError(`regex must be a RegExp or a string, got ${String(regex)}`);
    this.regex = regex;
    this.required = options.required ?? true;
    this.level = options.level;
    this.failOnUnexpected = options.failOnUnexpected ?? false;
  }

  /** Runs `body` inside the expectation; finish() checks it even if body throws nothing. */
  static async run<T>(
    logger: Logger | string,
    regex: RegExp | string,
    body: () => Promise<T> | T,
    options?: ExpectLogOptions,
  ): Promise<T> {
    const expectation = new ExpectLog(logger, regex, options).start();
    let result: T;
    try {
      result = await body();
    } catch (error) {
      expectation.finish({ checked: false });
      throw error;
    }
    expectation.finish();
    return result;
  }

  /** Starts capturing (Python's `__enter__`). */
  start(): this {
    if (this.#previousHandler !== undefined) throw new TestingArgumentError("ExpectLog already started");
    const logger = this.#logger;
    if (this.level !== undefined && logger !== undefined && logger.level > this.level) {
      this.#previousLevel = logger.level;
      logger.level = this.level;
    }
    const handler: LogHandler = (record) => this.#handle(record, previous);
    const previous = setLogHandler(handler);
    this.#previousHandler = previous;
    return this;
  }

  #handle(record: LogRecord, previous: LogHandler): void {
    const name = record.name;
    const watched = name === this.loggerName || name.startsWith(this.loggerName + ".");
    if (watched && (this.level === undefined || record.level === this.level) && this.regex.test(record.message)) {
      this.matched++;
      if (record.error !== undefined) this.loggedStack = true;
      return;
    }
    if (watched) this.unexpected.push(record);
    previous(record);
  }

  /**
   * Stops capturing and restores the handler and level (Python's `__exit__`). Throws
   * ExpectLogError when a required line is missing, or with failOnUnexpected when something
   * else was logged at WARNING or above. Pass `{ checked: false }` to only clean up.
   */
  finish(options: { checked?: boolean } = {}): void {
    const previous = this.#previousHandler;
    if (previous === undefined) throw new TestingArgumentError("ExpectLog.finish() without start()");
    setLogHandler(previous);
    this.#previousHandler = undefined;
    if (this.#previousLevel !== undefined && this.#logger !== undefined) {
      this.#logger.level = this.#previousLevel;
      this.#previousLevel = undefined;
    }
    if (options.checked === false) return;
    if (this.required && this.matched === 0) {
      throw new ExpectLogError(`did not get expected log message matching ${String(this.regex)} on ${this.loggerName}`);
    }
    if (this.failOnUnexpected) {
      const bad = this.unexpected.filter((record) => record.level >= LogLevel.WARNING);
      if (bad.length > 0) {
        const lines = bad.map((record) => `  ${record.name}: ${record.message}`).join("\n");
        throw new ExpectLogError(`unexpected log messages on ${this.loggerName}:\n${lines}`);
      }
    }
  }
}
