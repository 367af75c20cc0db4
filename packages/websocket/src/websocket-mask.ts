/**
 * XORs `data` with the 4-byte `mask`, repeating (RFC 6455 5.3); returns a new Buffer.
 * Tornado: tornado.util._websocket_mask (the frames themselves are masked by `ws`).
 */

import { WebSocketValueError } from "./errors";

export function websocketMask(mask: Uint8Array, data: Uint8Array): Buffer {
  if (!(mask instanceof Uint8Array) || mask.length !== 4) {
    throw new WebSocketValueError(`mask must be 4 bytes, got ${mask instanceof Uint8Array ? `${mask.length} bytes` : typeof mask}`);
  }
  const out = Buffer.allocUnsafe(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! ^ mask[i & 3]!;
  return out;
}
