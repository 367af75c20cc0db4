/**
 * The errors of @tornado/pubsub: a broker that cannot reach its server, a publish made while
 * the connection is down, a broker used after close(). Argument checks throw @tornado/util's
 * ArgumentTypeError and ArgumentRangeError.
 */

import { TornadoError } from "@tornado/util";

/** Error codes of this package, stable across releases. */
export const PUBSUB_ERROR_CODES = {
  BrokerError: "TORNADO_ERR_PUBSUB",
  BrokerUnreachableError: "TORNADO_ERR_PUBSUB_UNREACHABLE",
  BrokerDisconnectedError: "TORNADO_ERR_PUBSUB_DISCONNECTED",
  BrokerClosedError: "TORNADO_ERR_PUBSUB_CLOSED",
} as const;

/**
 * A broker operation failed: the server answered a command with an error (no permission, a
 * read-only replica). The server's error is the `cause`. The other broker errors extend it.
 */
export class BrokerError<Code extends string = typeof PUBSUB_ERROR_CODES.BrokerError> extends TornadoError<Code> {
  static override readonly code: string = PUBSUB_ERROR_CODES.BrokerError;
}

/**
 * The server could not be reached when the broker started (its first connect(), subscribe() or
 * publish()): refused, timed out, bad address, or refused authentication. Nothing was sent; a
 * later call tries again. The client's error is the `cause`.
 */
export class BrokerUnreachableError extends BrokerError<typeof PUBSUB_ERROR_CODES.BrokerUnreachableError> {
  static override readonly code = PUBSUB_ERROR_CODES.BrokerUnreachableError;
}

/**
 * publish() while the connection to the server is down after the start (the broker is
 * reconnecting). The message was not sent and will not be: delivery is at-most-once.
 */
export class BrokerDisconnectedError extends BrokerError<typeof PUBSUB_ERROR_CODES.BrokerDisconnectedError> {
  static override readonly code = PUBSUB_ERROR_CODES.BrokerDisconnectedError;
}

/** publish(), subscribe() or connect() after close(). */
export class BrokerClosedError extends BrokerError<typeof PUBSUB_ERROR_CODES.BrokerClosedError> {
  static override readonly code = PUBSUB_ERROR_CODES.BrokerClosedError;

  constructor(message = "the broker is closed", options?: ErrorOptions) {
    super(message, options);
  }
}
