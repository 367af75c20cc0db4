/**
 * Tornado's three loggers (`tornado.access`, `tornado.application`, `tornado.general`) as
 * named loggers that every layer writes to, with Python's logging model cut to what they need:
 * a level per logger (unset: the root's), handlers, and a last-resort handler. Until logging
 * is configured (enablePrettyLogging, parseCommandLine, setLogHandler) records go to the last
 * resort, which prints WARNING and above to stderr and drops the rest before they are even
 * formatted, as Python does: access lines (INFO) cost nothing by default.
 *
 * Tornado: tornado.log (access_log, app_log, gen_log), Python's logging.Logger.
 */

import { ArgumentTypeError } from "@tornado/util";
import { callSite, callSitesWanted, NO_SITE } from "./call-site";
import { formatLogRecord } from "./log-formatter";

/** Levels with Python's numbers, so that Tornado's `logging` thresholds carry over. */
export const LogLevel = {
  DEBUG: 10,
  INFO: 20,
  WARNING: 30,
  ERROR: 40,
  CRITICAL: 50,
} as const;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

/** One log call, as handed to a LogHandler. */
export interface LogRecord {
  /** The logger's name: "tornado.access", "tornado.application" or "tornado.general". */
  readonly name: string;
  readonly level: LogLevel;
  readonly message: string;
  /** The error being reported, when there is one (Tornado's exc_info). */
  readonly error?: unknown;
  /** Seconds since the epoch. */
  readonly created: number;
  /**
   * The calling file's name without extension, and the line (Python's module, lineno); set
   * once a LogFormatter that shows them exists (capturing them has a cost).
   */
  readonly module?: string;
  readonly lineno?: number;
}

/**
 * Receives the records that reach it. `level`, when set, drops records below it (Python's
 * Handler.setLevel): the last-resort handler has WARNING.
 */
export type LogHandler = ((record: LogRecord) => void) & { level?: LogLevel };

/**
 * The last resort: WARNING and above, one formatted line each, on stderr. Also what
 * `setLogHandler(stderrLogHandler)` restores: logging not configured.
 */
export const stderrLogHandler: LogHandler = Object.assign(
  (record: LogRecord): void => {
    process.stderr.write(formatLogRecord(record) + "\n");
  },
  { level: LogLevel.WARNING },
);

let rootHandler: LogHandler = stderrLogHandler;

/**
 * Replaces the handler that every logger's records propagate to (Python: the root logger's
 * handlers); returns the previous one so that a test can restore it. A handler without a
 * `level` receives every record its logger lets through (INFO and above by default).
 *
 * @example setLogHandler((r) => pino[r.level >= LogLevel.ERROR ? "error" : "info"](r.message))
 */
export function setLogHandler(handler: LogHandler): LogHandler {
  if (typeof handler !== "function") {
    throw new ArgumentTypeError(`log handler must be a function, got ${typeof handler}`);
  }
  const previous = rootHandler;
  rootHandler = handler;
  return previous;
}

/** The handler records propagate to: stderrLogHandler until logging is configured. */
export function getLogHandler(): LogHandler {
  return rootHandler;
}

/** A record whose module name is worked out only if a formatter asks. */
class Record implements LogRecord {
  readonly created = Date.now() / 1000;
  readonly #file: string;
  readonly lineno: number | undefined;
  constructor(
    readonly name: string,
    readonly level: LogLevel,
    readonly message: string,
    readonly error: unknown,
    [file, line]: [string, number],
  ) {
    this.#file = file;
    this.lineno = file === "" ? undefined : line;
  }
  /** The calling file's name without its folder and extension, as Python's module. */
  get module(): string | undefined {
    if (this.#file === "") return undefined;
    const base = this.#file.slice(Math.max(this.#file.lastIndexOf("/"), this.#file.lastIndexOf("\\")) + 1);
    return base.replace(/\.[cm]?[jt]s$/, "");
  }
}

/** A named logger with a level and handlers, like Python's logging.Logger. */
export class Logger {
  /** Handlers of this logger alone (Python: Logger.handlers); records then propagate to the root handler. */
  readonly handlers: LogHandler[] = [];
  /** Whether records also go to the root handler (setLogHandler's). Default true. */
  propagate = true;
  #level: LogLevel | null = null;

  constructor(readonly name: string) {}

  /**
   * Records below this level are dropped before formatting. Unset, it is the root level:
   * INFO, or what enablePrettyLogging set from the `logging` option.
   */
  get level(): LogLevel {
    return this.#level ?? rootLogger.#level ?? LogLevel.INFO;
  }

  set level(level: LogLevel) {
    this.#level = level;
  }

  /** True when a record of `level` would reach a handler (so a caller can skip building it). */
  isEnabledFor(level: LogLevel): boolean {
    if (level < this.level) return false;
    for (const handler of this.handlers) if (level >= (handler.level ?? 0)) return true;
    return this.propagate && level >= (rootHandler.level ?? 0);
  }

  log(level: LogLevel, message: string, error?: unknown): void {
    if (!this.isEnabledFor(level)) return;
    const site = callSitesWanted() ? callSite(Logger.prototype.log, __filename) : NO_SITE;
    const record = new Record(this.name, level, message, error, site);
    for (const handler of this.handlers) deliver(handler, record);
    if (this.propagate) deliver(rootHandler, record);
  }

  debug(message: string, error?: unknown): void {
    this.log(LogLevel.DEBUG, message, error);
  }

  info(message: string, error?: unknown): void {
    this.log(LogLevel.INFO, message, error);
  }

  warning(message: string, error?: unknown): void {
    this.log(LogLevel.WARNING, message, error);
  }

  error(message: string, error?: unknown): void {
    this.log(LogLevel.ERROR, message, error);
  }

  critical(message: string, error?: unknown): void {
    this.log(LogLevel.CRITICAL, message, error);
  }
}

function deliver(handler: LogHandler, record: LogRecord): void {
  if (record.level < (handler.level ?? 0)) return;
  try {
    handler(record);
  } catch {
    // A broken handler must not take down the request that was being logged.
  }
}

/** The root of the logger tree: its level is every unset logger's level. Python: logging.getLogger(). */
export const rootLogger = new Logger("root");

/** Per-request access lines (status, method, uri, remote ip, ms). Tornado: access_log. */
export const accessLog = new Logger("tornado.access");
/** Errors in application code: uncaught exceptions in handlers and callbacks. Tornado: app_log. */
export const appLog = new Logger("tornado.application");
/** Everything else: protocol errors, closed connections, bad input. Tornado: gen_log. */
export const genLog = new Logger("tornado.general");
