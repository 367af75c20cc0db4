/**
 * The errors of @tornado/ioloop. Each carries Tornado's class name and fields, a stable
 * `code`, and works with `instanceof` across copies of the package (a brand checked by
 * Symbol.hasInstance, as undici does), so two installed versions still recognise each other.
 */

import { TornadoError } from "@tornado/util";

/** Error codes of this package, stable across releases. */
export const IOLOOP_ERROR_CODES = {
  StreamClosedError: "TORNADO_ERR_IOSTREAM_CLOSED",
  UnsatisfiableReadError: "TORNADO_ERR_IOSTREAM_UNSATISFIABLE_READ",
  StreamBufferFullError: "TORNADO_ERR_IOSTREAM_BUFFER_FULL",
  TimeoutError: "TORNADO_ERR_TIMEOUT",
  QueueEmpty: "TORNADO_ERR_QUEUE_EMPTY",
  QueueFull: "TORNADO_ERR_QUEUE_FULL",
  QueueTaskDoneError: "TORNADO_ERR_QUEUE_TASK_DONE",
  LockNotHeldError: "TORNADO_ERR_LOCK_NOT_HELD",
  SemaphoreOverReleaseError: "TORNADO_ERR_SEMAPHORE_OVER_RELEASE",
  IOLoopStateError: "TORNADO_ERR_IOLOOP_STATE",
  ForkProcessesError: "TORNADO_ERR_PROCESS_FORK",
  AddressInUseError: "TORNADO_ERR_NETUTIL_ADDRESS_IN_USE",
  IOStreamBusyError: "TORNADO_ERR_IOSTREAM_BUSY",
  TCPServerStateError: "TORNADO_ERR_TCPSERVER_STATE",
  ConnectError: "TORNADO_ERR_TCP_CONNECT",
  NotSupportedError: "TORNADO_ERR_NOT_SUPPORTED",
  OptionsError: "TORNADO_ERR_OPTIONS",
  CalledProcessError: "TORNADO_ERR_PROCESS_EXIT",
  ExecutorError: "TORNADO_ERR_EXECUTOR",
  InvalidStateError: "TORNADO_ERR_FUTURE_STATE",
  CancelledError: "TORNADO_ERR_CANCELLED",
} as const;

/**
 * The stream was closed, by the peer or by us, while an operation was waiting on it.
 * Tornado: iostream.StreamClosedError (with real_error).
 */
export class StreamClosedError extends TornadoError<typeof IOLOOP_ERROR_CODES.StreamClosedError> {
  static override readonly code = IOLOOP_ERROR_CODES.StreamClosedError;
  /** The error that caused the close, if any (a socket error, a TLS failure). */
  readonly realError: Error | undefined;

  constructor(realError?: Error) {
    super(realError ? `Stream is closed: ${realError.message}` : "Stream is closed", {
      cause: realError,
    });
    this.realError = realError;
  }
}

/**
 * A read can never be satisfied: `maxBytes` was exceeded before the delimiter was found.
 * Tornado: iostream.UnsatisfiableReadError.
 */
export class UnsatisfiableReadError extends TornadoError<typeof IOLOOP_ERROR_CODES.UnsatisfiableReadError> {
  static override readonly code = IOLOOP_ERROR_CODES.UnsatisfiableReadError;
}

/**
 * The read buffer grew past `maxBufferSize`, or the write buffer past `maxWriteBufferSize`.
 * Tornado: iostream.StreamBufferFullError.
 */
export class StreamBufferFullError extends TornadoError<typeof IOLOOP_ERROR_CODES.StreamBufferFullError> {
  static override readonly code = IOLOOP_ERROR_CODES.StreamBufferFullError;
}

/**
 * An operation did not complete in time (withTimeout, runSync, locks, queues, connect).
 * Tornado: tornado.util.TimeoutError (gen.TimeoutError).
 */
export class TimeoutError extends TornadoError<typeof IOLOOP_ERROR_CODES.TimeoutError> {
  static override readonly code = IOLOOP_ERROR_CODES.TimeoutError;

  constructor(message = "Timeout") {
    super(message);
  }
}

/** getNowait() on an empty queue. Tornado: queues.QueueEmpty. */
export class QueueEmpty extends TornadoError<typeof IOLOOP_ERROR_CODES.QueueEmpty> {
  static override readonly code = IOLOOP_ERROR_CODES.QueueEmpty;
}

/** putNowait() on a full queue. Tornado: queues.QueueFull. */
export class QueueFull extends TornadoError<typeof IOLOOP_ERROR_CODES.QueueFull> {
  static override readonly code = IOLOOP_ERROR_CODES.QueueFull;
}

/** taskDone() called more times than items were put. Tornado: ValueError in Queue.task_done. */
export class QueueTaskDoneError extends TornadoError<typeof IOLOOP_ERROR_CODES.QueueTaskDoneError> {
  static override readonly code = IOLOOP_ERROR_CODES.QueueTaskDoneError;

  constructor(message = "taskDone() called too many times") {
    super(message);
  }
}

/** Lock.release() on a lock that is not held. Tornado: RuntimeError in Lock.release. */
export class LockNotHeldError extends TornadoError<typeof IOLOOP_ERROR_CODES.LockNotHeldError> {
  static override readonly code = IOLOOP_ERROR_CODES.LockNotHeldError;

  constructor(message = "release unlocked lock") {
    super(message);
  }
}

/**
 * BoundedSemaphore.release() past its initial value.
 * Tornado: ValueError("Semaphore released too many times").
 */
export class SemaphoreOverReleaseError extends TornadoError<typeof IOLOOP_ERROR_CODES.SemaphoreOverReleaseError> {
  static override readonly code = IOLOOP_ERROR_CODES.SemaphoreOverReleaseError;

  constructor(message = "Semaphore released too many times") {
    super(message);
  }
}

/**
 * An IOLoop used in a state that does not allow it: start() while already running, a second
 * loop forced current, runSync() on a closed loop. Tornado: RuntimeError.
 */
export class IOLoopStateError extends TornadoError<typeof IOLOOP_ERROR_CODES.IOLoopStateError> {
  static override readonly code = IOLOOP_ERROR_CODES.IOLoopStateError;
}

/**
 * forkProcesses() misuse or failure: called twice or from a worker, or children crashed more
 * than `maxRestarts` times. Tornado: RuntimeError("Too many child restarts, giving up").
 */
export class ForkProcessesError extends TornadoError<typeof IOLOOP_ERROR_CODES.ForkProcessesError> {
  static override readonly code = IOLOOP_ERROR_CODES.ForkProcessesError;
}

/**
 * listen() on a port that another socket already holds (EADDRINUSE). Names the port and the
 * address; `cause` is Node's error. Tornado: OSError(EADDRINUSE) from bind_sockets.
 */
export class AddressInUseError extends TornadoError<typeof IOLOOP_ERROR_CODES.AddressInUseError> {
  static override readonly code = IOLOOP_ERROR_CODES.AddressInUseError;
  /** The port asked for. */
  readonly port: number;
  /** The address that could not be bound ("::" or "0.0.0.0" for every interface). */
  readonly address: string;

  constructor(port: number, address: string, options?: { cause?: unknown }) {
    const where = address === "::" || address === "0.0.0.0" ? `${address} (every interface)` : address;
    super(
      `port ${port} is already in use on ${where}: another process listens there; stop it or choose another port`,
      options,
    );
    this.port = port;
    this.address = address;
  }
}

/**
 * An IOStream asked for something its state does not allow: a second read while one is
 * pending, startTls() with a read or write pending, SSLIOStream.connect() on a connected
 * stream. Tornado: AssertionError("Already reading"), ValueError("IOStream is not idle").
 */
export class IOStreamBusyError extends TornadoError<typeof IOLOOP_ERROR_CODES.IOStreamBusyError> {
  static override readonly code = IOLOOP_ERROR_CODES.IOStreamBusyError;
}

/**
 * TCPServer misuse: bind() after start(), start() twice, handleStream not overridden.
 * Tornado: AssertionError, NotImplementedError.
 */
export class TCPServerStateError extends TornadoError<typeof IOLOOP_ERROR_CODES.TCPServerStateError> {
  static override readonly code = IOLOOP_ERROR_CODES.TCPServerStateError;
}

/**
 * A TCP connection could not be made: no address to try, or the connection closed before it
 * was established (the socket's own error, such as ECONNREFUSED, is passed on as it is).
 * Tornado: IOError / StreamClosedError from TCPClient.connect.
 */
export class ConnectError extends TornadoError<typeof IOLOOP_ERROR_CODES.ConnectError> {
  static override readonly code = IOLOOP_ERROR_CODES.ConnectError;
}

/**
 * This Node version or platform lacks what was asked for (SO_REUSEPORT before Node 22.12,
 * Subprocess streams on Windows). Tornado: ValueError / NotImplementedError.
 */
export class NotSupportedError extends TornadoError<typeof IOLOOP_ERROR_CODES.NotSupportedError> {
  static override readonly code = IOLOOP_ERROR_CODES.NotSupportedError;
}

/**
 * An option defined twice, an unknown option on the command line or in code, a missing or
 * unparsable value, a value of the wrong type. Tornado: tornado.options.Error.
 */
export class OptionsError extends TornadoError<typeof IOLOOP_ERROR_CODES.OptionsError> {
  static override readonly code = IOLOOP_ERROR_CODES.OptionsError;
}

/**
 * A Subprocess exited with a non-zero status (or was killed by a signal: a negative
 * `returncode`) and `waitForExit()` was asked to raise. Tornado: subprocess.CalledProcessError.
 */
export class CalledProcessError extends TornadoError<typeof IOLOOP_ERROR_CODES.CalledProcessError> {
  static override readonly code = IOLOOP_ERROR_CODES.CalledProcessError;
  /** The exit status, or minus the signal number. Python: returncode. */
  readonly returncode: number;
  /** The command that was run. Python: cmd. */
  readonly cmd: readonly string[];

  constructor(returncode: number, cmd: readonly string[]) {
    super(`Command ${JSON.stringify(cmd.join(" "))} returned non-zero exit status ${returncode}`);
    this.returncode = returncode;
    this.cmd = cmd;
  }
}

/**
 * A worker executor could not run a task: it was shut down, a worker thread died, or the
 * task's function or its result could not cross to or from the worker. Errors the task itself
 * throws are passed on as they are. Tornado: concurrent.futures' BrokenExecutor, RuntimeError.
 */
export class ExecutorError extends TornadoError<typeof IOLOOP_ERROR_CODES.ExecutorError> {
  static override readonly code = IOLOOP_ERROR_CODES.ExecutorError;
}

/**
 * A Future used in a state that does not allow it: a result set twice, result() while
 * pending. Tornado: asyncio.InvalidStateError.
 */
export class InvalidStateError extends TornadoError<typeof IOLOOP_ERROR_CODES.InvalidStateError> {
  static override readonly code = IOLOOP_ERROR_CODES.InvalidStateError;
}

/** What a cancelled Future rejects with. Tornado: asyncio.CancelledError. */
export class CancelledError extends TornadoError<typeof IOLOOP_ERROR_CODES.CancelledError> {
  static override readonly code = IOLOOP_ERROR_CODES.CancelledError;
}
