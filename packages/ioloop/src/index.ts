/**
 * @tornado/ioloop: Tornado's ioloop, iostream, tcpserver, tcpclient, netutil, locks, queues,
 * gen helpers, process and log, on Node's own event loop.
 *
 * @example
 * import { IOLoop, Queue } from "@tornado/ioloop";
 * const queue = new Queue<string>();
 * IOLoop.current().callLater(0.1, () => queue.putNowait("hello")); // seconds
 * console.log(await queue.get(1)); // waits up to 1 s, else TimeoutError
 */
export {
  CalledProcessError,
  CancelledError,
  ConnectError,
  ExecutorError,
  ForkProcessesError,
  IOStreamBusyError,
  InvalidStateError,
  NotSupportedError,
  OptionsError,
  TCPServerStateError,
  IOLOOP_ERROR_CODES,
  IOLoopStateError,
  LockNotHeldError,
  QueueEmpty,
  QueueFull,
  QueueTaskDoneError,
  SemaphoreOverReleaseError,
  StreamBufferFullError,
  StreamClosedError,
  TimeoutError,
  UnsatisfiableReadError,
  AddressInUseError,
} from "./errors";
export {
  Logger,
  LogLevel,
  accessLog,
  appLog,
  genLog,
  getLogHandler,
  rootLogger,
  setLogHandler,
  stderrLogHandler,
} from "./log/logger";
export type { LogHandler, LogRecord } from "./log/logger";
export { LogFormatter, formatLogRecord } from "./log/log-formatter";
export type { ColorStream, LogFormatterOptions } from "./log/log-formatter";
export { RotatingFileHandler } from "./log/rotating-file-handler";
export type { RotatingFileOptions } from "./log/rotating-file-handler";
export { LOGGING_DEFAULTS, defineLoggingOptions, enablePrettyLogging } from "./log/pretty-logging";
export type { LoggingOptions } from "./log/pretty-logging";
export { OptionParser } from "./options/option-parser";
export type { CamelCase, DefinedOption, OptionSpec, OptionValue, TextSink } from "./options/option-parser";
export type { OptionClass, OptionType, OptionTypeName } from "./options/option-types";
export { addParseCallback, define, options, parseCommandLine, parseConfigFile, printHelp } from "./options/options";
export type { GlobalOptions, Options } from "./options/options";
export { IOLoop } from "./loop/ioloop";
export type { IOLoopOptions, RelativeDeadline, RunSyncOptions } from "./loop/ioloop";
export { TimeoutHandle } from "./loop/timeout-handle";
export { PeriodicCallback } from "./loop/periodic-callback";
export { sleep, moment } from "./gen/sleep";
export { withTimeout } from "./gen/with-timeout";
export type { ErrorClass, QuietOptions } from "./gen/with-timeout";
export { multi } from "./gen/multi";
export { WaitIterator } from "./gen/wait-iterator";
export { Future, chainFuture } from "./concurrent/future";
export { ThreadPoolExecutor } from "./concurrent/thread-pool-executor";
export type { TaskReference, ThreadPoolExecutorOptions } from "./concurrent/thread-pool-executor";
export { runOnExecutor } from "./concurrent/run-on-executor";
export type { RunOnExecutorOptions } from "./concurrent/run-on-executor";
export type { MultiArrayResult, MultiObjectResult } from "./gen/multi";
export type { Timeout, WaitOptions } from "./loop/timeout-option";
export { Condition } from "./locks/condition";
export { Event } from "./locks/event";
export { Semaphore } from "./locks/semaphore";
export type { Releaser } from "./locks/semaphore";
export { BoundedSemaphore } from "./locks/bounded-semaphore";
export { Lock } from "./locks/lock";
export { Queue } from "./queues/queue";
export { PriorityQueue, defaultCompare } from "./queues/priority-queue";
export type { Compare } from "./queues/heap-storage";
export { LifoQueue } from "./queues/lifo-queue";
export { cpuCount, forkProcesses, restartWorkers, stopWorkers, taskId } from "./process/process";
export { onShutdown } from "./process/on-shutdown";
export type { ShutdownOptions } from "./process/on-shutdown";
export { installProcessPolicy, setProcessPolicy } from "./process/process-policy";
export type { ProcessPolicy, StoppableLoop } from "./process/process-policy";
export { Subprocess } from "./process/subprocess";
export type { SubprocessOptions, SubprocessStdio } from "./process/subprocess";
export { IOStream } from "./stream/iostream";
export type { DetachedSocket, IOStreamOptions, StreamAddress } from "./stream/iostream";
export { SSLIOStream } from "./stream/ssl-iostream";
export { PipeIOStream } from "./stream/pipe-iostream";
export { wrapTlsSocket } from "./stream/tls-socket";
export type { SSLOptions } from "./stream/tls-socket";
export type { SSLIOStreamOptions } from "./stream/ssl-iostream";
export { TCPServer } from "./tcp/tcp-server";
export type { StopOptions, TCPServerOptions } from "./tcp/tcp-server";
export { TCPClient } from "./tcp/tcp-client";
export type { ConnectOptions } from "./tcp/tcp-client";
export { addAcceptHandler, bindSockets, bindUnixSocket, isValidIp, supportsReusePort } from "./tcp/netutil";
export type { AcceptCallback, BindOptions, PeerAddress } from "./tcp/netutil";
export { DefaultResolver, OverrideResolver, Resolver } from "./tcp/resolver";
export type { AddressFamily, OverrideTarget, ResolvedAddress } from "./tcp/resolver";
export * as autoreload from "./autoreload/index";
