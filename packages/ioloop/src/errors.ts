/**
 * The errors of @tornado/ioloop. Each carries Tornado's class name and fields, a stable
 * `code`, and works with `instanceof` across copies of the package (a brand checked by
 * Symbol.hasInstance, as undici does), so two installed versions still recognise each other.
 */

import { brandError } from "@tornado/escape";

/** Error codes of this package, stable across releases. */
export const IOLOOP_ERROR_CODES = {
  StreamClosedError: "TORNADO_ERR_IOSTREAM_CLOSED",
  UnsatisfiableReadError: "TORNADO_ERR_IOSTREAM_UNSATISFIABLE_READ",
  StreamBufferFullError: "TORNADO_ERR_IOSTREAM_BUFFER_FULL",
  TimeoutError: "TORNADO_ERR_TIMEOUT",
  QueueEmpty: "TORNADO_ERR_QUEUE_EMPTY",
  QueueFull: "TORNADO_ERR_QUEUE_FULL",
} as const;

/**
 * The stream was closed, by the peer or by us, while an operation was waiting on it.
 * Tornado: iostream.StreamClosedError (with real_error).
 */
export class StreamClosedError extends Error {
  override readonly name = "StreamClosedError";
  readonly code = IOLOOP_ERROR_CODES.StreamClosedError;
  /** The error that caused the close, if any (a socket error, a TLS failure). */
  readonly realError: Error | undefined;

  constructor(realError?: Error) {
    super(realError ? `Stream is closed: ${realError.message}` : "Stream is closed", {
      cause: realError,
    });
    this.realError = realError;
  }
}
brandError(StreamClosedError, IOLOOP_ERROR_CODES.StreamClosedError);

/**
 * A read can never be satisfied: `maxBytes` was exceeded before the delimiter was found.
 * Tornado: iostream.UnsatisfiableReadError.
 */
export class UnsatisfiableReadError extends Error {
  override readonly name = "UnsatisfiableReadError";
  readonly code = IOLOOP_ERROR_CODES.UnsatisfiableReadError;
}
brandError(UnsatisfiableReadError, IOLOOP_ERROR_CODES.UnsatisfiableReadError);

/**
 * The read buffer grew past `maxBufferSize`, or the write buffer past `maxWriteBufferSize`.
 * Tornado: iostream.StreamBufferFullError.
 */
export class StreamBufferFullError extends Error {
  override readonly name = "StreamBufferFullError";
  readonly code = IOLOOP_ERROR_CODES.StreamBufferFullError;
}
brandError(StreamBufferFullError, IOLOOP_ERROR_CODES.StreamBufferFullError);

/**
 * An operation did not complete in time (withTimeout, runSync, locks, queues, connect).
 * Tornado: tornado.util.TimeoutError (gen.TimeoutError).
 */
export class TimeoutError extends Error {
  override readonly name = "TimeoutError";
  readonly code = IOLOOP_ERROR_CODES.TimeoutError;

  constructor(message = "Timeout") {
    super(message);
  }
}
brandError(TimeoutError, IOLOOP_ERROR_CODES.TimeoutError);

/** getNowait() on an empty queue. Tornado: queues.QueueEmpty. */
export class QueueEmpty extends Error {
  override readonly name = "QueueEmpty";
  readonly code = IOLOOP_ERROR_CODES.QueueEmpty;
}
brandError(QueueEmpty, IOLOOP_ERROR_CODES.QueueEmpty);

/** putNowait() on a full queue. Tornado: queues.QueueFull. */
export class QueueFull extends Error {
  override readonly name = "QueueFull";
  readonly code = IOLOOP_ERROR_CODES.QueueFull;
}
brandError(QueueFull, IOLOOP_ERROR_CODES.QueueFull);
