/**
 * Tornado's three loggers (`tornado.access`, `tornado.application`, `tornado.general`) as
 * named loggers that every layer writes to. They print to stderr by default; `setLogHandler`
 * plugs in any logger (console, pino, winston) without a dependency on it.
 *
 * Tornado: tornado.log (access_log, app_log, gen_log).
 */

import { ArgumentTypeError } from "@tornado/util";

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
}

/** Receives every record at or above its logger's level. */
export type LogHandler = (record: LogRecord) => void;

const LEVEL_NAMES: Record<number, string> = {
  10: "D",
  20: "I",
  30: "W",
  40: "E",
  50: "C",
};

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/** Formats a record the way tornado.log.LogFormatter does: `[I 240101 12:00:00 name] message`. */
export function formatLogRecord(record: LogRecord): string {
  const date = new Date(record.created * 1000);
  const stamp =
    `${pad(date.getFullYear() % 100)}${pad(date.getMonth() + 1)}${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  let line = `[${LEVEL_NAMES[record.level] ?? "?"} ${stamp} ${record.name}] ${record.message}`;
  if (record.error !== undefined) {
    const error = record.error;
    line += "\n" + (error instanceof Error ? (error.stack ?? String(error)) : String(error));
  }
  return line;
}

/** The default handler: one formatted line on stderr. */
export const stderrLogHandler: LogHandler = (record) => {
  process.stderr.write(formatLogRecord(record) + "\n");
};

let currentHandler: LogHandler = stderrLogHandler;

/**
 * Replaces the handler of every Tornado logger; returns the previous one so that a test can
 * restore it. Pass `stderrLogHandler` to go back to the default.
 *
 * @example setLogHandler((r) => pino[r.level >= LogLevel.ERROR ? "error" : "info"](r.message))
 */
export function setLogHandler(handler: LogHandler): LogHandler {
  if (typeof handler !== "function") {
    throw new ArgumentTypeError(`log handler must be a function, got ${typeof handler}`);
  }
  const previous = currentHandler;
  currentHandler = handler;
  return previous;
}

/** A named logger with a level, like Python's logging.Logger. */
export class Logger {
  /** Records below this level are dropped before formatting. Default INFO, as Tornado's. */
  level: LogLevel = LogLevel.INFO;

  constructor(readonly name: string) {}

  isEnabledFor(level: LogLevel): boolean {
    return level >= this.level;
  }

  log(level: LogLevel, message: string, error?: unknown): void {
    if (level < this.level) return;
    const record: LogRecord =
      error === undefined
        ? { name: this.name, level, message, created: Date.now() / 1000 }
        : { name: this.name, level, message, error, created: Date.now() / 1000 };
    try {
      currentHandler(record);
    } catch {
      // A broken handler must not take down the request that was being logged.
    }
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
}

/** Per-request access lines (status, method, uri, remote ip, ms). Tornado: access_log. */
export const accessLog = new Logger("tornado.access");
/** Errors in application code: uncaught exceptions in handlers and callbacks. Tornado: app_log. */
export const appLog = new Logger("tornado.application");
/** Everything else: protocol errors, closed connections, bad input. Tornado: gen_log. */
export const genLog = new Logger("tornado.general");
