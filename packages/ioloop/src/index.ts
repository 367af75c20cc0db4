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
  ForkProcessesError,
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
} from "./errors";
export { Logger, LogLevel, accessLog, appLog, genLog, formatLogRecord, setLogHandler, stderrLogHandler } from "./log";
export type { LogHandler, LogRecord } from "./log";
export { IOLoop } from "./ioloop";
export type { IOLoopOptions, RelativeDeadline, RunSyncOptions } from "./ioloop";
export { TimeoutHandle } from "./timeout-handle";
export { PeriodicCallback } from "./periodic-callback";
export { sleep, moment } from "./sleep";
export { withTimeout } from "./with-timeout";
export type { ErrorClass, QuietOptions } from "./with-timeout";
export { multi } from "./multi";
export type { MultiArrayResult, MultiObjectResult } from "./multi";
export type { Timeout } from "./timeout-option";
export { Condition } from "./condition";
export { Event } from "./event";
export { Semaphore } from "./semaphore";
export type { Releaser } from "./semaphore";
export { BoundedSemaphore } from "./bounded-semaphore";
export { Lock } from "./lock";
export { Queue } from "./queue";
export { PriorityQueue, defaultCompare } from "./priority-queue";
export type { Compare } from "./priority-queue";
export { LifoQueue } from "./lifo-queue";
export { cpuCount, forkProcesses, restartWorkers, stopWorkers, taskId } from "./process";
export { onShutdown } from "./on-shutdown";
export type { ShutdownOptions } from "./on-shutdown";
export { IOStream } from "./iostream";
export type { DetachedSocket, IOStreamOptions, SSLOptions } from "./iostream";
export { SSLIOStream, wrapTlsSocket } from "./ssl-iostream";
export type { SSLIOStreamOptions } from "./ssl-iostream";
export { TCPServer } from "./tcp-server";
export type { StopOptions, TCPServerOptions } from "./tcp-server";
export { TCPClient } from "./tcp-client";
export type { ConnectOptions } from "./tcp-client";
export { addAcceptHandler, bindSockets, isValidIp, supportsReusePort } from "./netutil";
export { ReusePortUnsupportedError } from "./errors";
export type { AcceptCallback, BindOptions, PeerAddress } from "./netutil";
export { DefaultResolver, OverrideResolver, Resolver } from "./resolver";
export type { AddressFamily, OverrideTarget, ResolvedAddress } from "./resolver";
