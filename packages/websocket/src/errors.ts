/**
 * The errors of @tornado/websocket. Each carries Tornado's class name, a stable `code`, and
 * works with `instanceof` across copies of the package (TornadoError from @tornado/util).
 * Handshake refusals are HTTP answers (400, 403, 426) and close codes (1002, 1007, 1009) are
 * WebSocket answers, not thrown errors: the README lists both.
 */

import { TornadoError, TornadoRangeError } from "@tornado/util";

/** Error codes of this package, stable across releases. */
export const WEBSOCKET_ERROR_CODES = {
  WebSocketError: "TORNADO_ERR_WEBSOCKET",
  WebSocketClosedError: "TORNADO_ERR_WEBSOCKET_CLOSED",
  WebSocketValueError: "TORNADO_ERR_WEBSOCKET_INVALID_ARGUMENT",
} as const;

/**
 * A WebSocket failure, e.g. a server that answered a client's handshake with a non-101 2xx
 * ("Non-websocket response"). Tornado: websocket.WebSocketError.
 */
export class WebSocketError<Code extends string = typeof WEBSOCKET_ERROR_CODES.WebSocketError> extends TornadoError<Code> {
  static override readonly code: string = WEBSOCKET_ERROR_CODES.WebSocketError;
}

/**
 * The connection is closed or closing: writeMessage() and ping() throw it at the call.
 * Tornado: websocket.WebSocketClosedError.
 */
export class WebSocketClosedError extends WebSocketError<typeof WEBSOCKET_ERROR_CODES.WebSocketClosedError> {
  static override readonly code = WEBSOCKET_ERROR_CODES.WebSocketClosedError;

  constructor(message = "WebSocket is closed") {
    super(message);
  }
}

/**
 * A bad argument at the public boundary: a ping payload over 125 bytes, an invalid close code,
 * a negative interval, a URL that is not ws/wss/http/https. Tornado raises ValueError.
 */
export class WebSocketValueError extends TornadoRangeError<typeof WEBSOCKET_ERROR_CODES.WebSocketValueError> {
  static override readonly code = WEBSOCKET_ERROR_CODES.WebSocketValueError;
}
