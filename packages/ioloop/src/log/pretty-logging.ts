/**
 * enablePrettyLogging and the logging options: Tornado's way to turn logging on, from
 * parseCommandLine() or directly.
 *
 * Tornado: tornado.log.enable_pretty_logging, define_logging_options.
 */

import { ArgumentRangeError } from "@tornado/util";
import type { OptionParser } from "../options/option-parser";
import { LogFormatter } from "./log-formatter";
import { getLogHandler, LogLevel, rootLogger, setLogHandler, stderrLogHandler, type LogHandler, type Logger, type LogRecord } from "./logger";
import { RotatingFileHandler } from "./rotating-file-handler";

/** The logging options, as defineLoggingOptions defines them (camelCase names). */
export interface LoggingOptions {
  /** "debug", "info" (default), "warning", "error", "critical" or "none" (leave logging alone). */
  logging?: string | null;
  /** Log to stderr; default (null): only when no file and no other handler is set. */
  logToStderr?: boolean | null;
  /** Log to this file (rotated); none by default. */
  logFilePrefix?: string | null;
  /** Bytes per file in "size" mode. Default 100,000,000. */
  logFileMaxSize?: number;
  /** Old files kept. Default 10. */
  logFileNumBackups?: number;
  /** "S", "M", "H", "D", "midnight" (default), "W0"-"W6", for "time" mode. */
  logRotateWhen?: string;
  /** Units of logRotateWhen per file. Default 1. */
  logRotateInterval?: number;
  /** "size" (default) or "time". */
  logRotateMode?: string;
}

/** Tornado's defaults for the logging options. */
export const LOGGING_DEFAULTS: Required<LoggingOptions> = {
  logging: "info",
  logToStderr: null,
  logFilePrefix: null,
  logFileMaxSize: 100 * 1000 * 1000,
  logFileNumBackups: 10,
  logRotateWhen: "midnight",
  logRotateInterval: 1,
  logRotateMode: "size",
};

/** Calls every handler in turn: one root handler for a file and stderr together. */
function fanOut(handlers: LogHandler[]): LogHandler {
  if (handlers.length === 1) return handlers[0] as LogHandler;
  const handler: LogHandler = (record: LogRecord) => {
    for (const each of handlers) if (record.level >= (each.level ?? 0)) each(record);
  };
  handler.level = Math.min(...handlers.map((each) => each.level ?? 0)) as LogLevel;
  return handler;
}

/**
 * Turns logging on as the options say: sets the level of `logger` (default: the root, so every
 * logger) from `logging`, adds a rotating file handler for `logFilePrefix`, and a coloured
 * stderr handler (LogFormatter) when `logToStderr` is true, or unset with no file and no other
 * handler. `logging: "none"` (or null) leaves logging as it is. Called by parseCommandLine()
 * and parseConfigFile() with the global options. Without `options`, Tornado's defaults apply
 * (INFO on stderr). Tornado: enable_pretty_logging(options, logger).
 */
export function enablePrettyLogging(options: LoggingOptions = LOGGING_DEFAULTS, logger: Logger = rootLogger): void {
  const settings = { ...LOGGING_DEFAULTS, ...definedOnly(options) };
  if (settings.logging === null || settings.logging === undefined || settings.logging.toLowerCase() === "none") return;
  const level = LogLevel[settings.logging.toUpperCase() as keyof typeof LogLevel];
  if (level === undefined) {
    throw new ArgumentRangeError(`logging must be debug, info, warning, error, critical or none, got ${JSON.stringify(settings.logging)}`);
  }
  logger.level = level;
  const isRoot = logger === rootLogger;
  const current = getLogHandler();
  const handlers: LogHandler[] = isRoot && current !== stderrLogHandler ? [current] : [...logger.handlers];
  const added: LogHandler[] = [];
  if (settings.logFilePrefix) {
    const file = new RotatingFileHandler(settings.logFilePrefix, {
      mode: settings.logRotateMode as "size" | "time",
      maxBytes: settings.logFileMaxSize,
      backupCount: settings.logFileNumBackups,
      when: settings.logRotateWhen,
      interval: settings.logRotateInterval,
    });
    const formatter = new LogFormatter({ color: false });
    added.push(Object.assign((record: LogRecord) => file.write(formatter.format(record)), { close: () => file.close() }));
  }
  if (settings.logToStderr === true || (settings.logToStderr === null && handlers.length === 0 && added.length === 0)) {
    const formatter = new LogFormatter();
    added.push((record: LogRecord) => {
      process.stderr.write(formatter.format(record) + "\n");
    });
  }
  if (isRoot) setLogHandler(fanOut([...handlers, ...added]));
  else logger.handlers.push(...added);
}

/** Options objects from an OptionParser hold undefined for unset values; let defaults show through. */
function definedOnly(options: LoggingOptions): LoggingOptions {
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(LOGGING_DEFAULTS) as Array<keyof LoggingOptions>) {
    const value = options[key];
    if (value !== undefined) result[key] = value;
  }
  return result as LoggingOptions;
}

/**
 * Defines the logging options on `parser` (the global options have them already) and makes
 * every final parse call enablePrettyLogging(parser). Tornado: define_logging_options.
 */
export function defineLoggingOptions(parser: OptionParser): void {
  parser.define("logging", {
    default: "info",
    help: "Set the log level. If 'none', tornado won't touch the logging configuration.",
    metavar: "debug|info|warning|error|none",
  });
  parser.define("logToStderr", {
    type: "boolean",
    help: "Send log output to stderr (colorized if possible). By default use stderr if --log-file-prefix is not set and no other logging is configured.",
  });
  parser.define("logFilePrefix", {
    type: "string",
    metavar: "PATH",
    help: "Path prefix for log files. Note that if you are running multiple tornado processes, log-file-prefix must be different for each of them (e.g. include the port number)",
  });
  parser.define("logFileMaxSize", { type: "int", default: 100 * 1000 * 1000, help: "max size of log files before rollover" });
  parser.define("logFileNumBackups", { type: "int", default: 10, help: "number of log files to keep" });
  parser.define("logRotateWhen", {
    type: "string",
    default: "midnight",
    help: "specify the type of TimedRotatingFileHandler interval other options:('S', 'M', 'H', 'D', 'W0'-'W6')",
  });
  parser.define("logRotateInterval", { type: "int", default: 1, help: "The interval value of timed rotating" });
  parser.define("logRotateMode", { type: "string", default: "size", help: "The mode of rotating files(time or size)" });
  parser.addParseCallback(() => enablePrettyLogging(parser as unknown as LoggingOptions));
}
