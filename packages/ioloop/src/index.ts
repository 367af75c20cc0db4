/**
 * @tornado/ioloop (under construction).
 */
export {
  IOLOOP_ERROR_CODES,
  QueueEmpty,
  QueueFull,
  StreamBufferFullError,
  StreamClosedError,
  TimeoutError,
  UnsatisfiableReadError,
} from "./errors";
export { Logger, LogLevel, accessLog, appLog, genLog, formatLogRecord, setLogHandler, stderrLogHandler } from "./log";
export type { LogHandler, LogRecord } from "./log";
