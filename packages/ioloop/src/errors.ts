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
  ReusePortUnsupportedError: "TORNADO_ERR_REUSE_PORT_UNSUPPORTED",
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
 * `reusePort` (SO_REUSEPORT) asked for where Node cannot set it: Node before 22.12 (it ignores
 * the option, and the second listen fails with EADDRINUSE), or a platform other than Linux,
 * FreeBSD, Solaris and AIX. Tornado: ValueError("the platform doesn't support SO_REUSEPORT").
 */
export class ReusePortUnsupportedError extends TornadoError<typeof IOLOOP_ERROR_CODES.ReusePortUnsupportedError> {
  static override readonly code = IOLOOP_ERROR_CODES.ReusePortUnsupportedError;
}
