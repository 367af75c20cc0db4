/**
 * The Sec-WebSocket-Accept value for a Sec-WebSocket-Key (RFC 6455 4.2.2):
 * base64(sha1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")).
 * Tornado: WebSocketProtocol13.compute_accept_value.
 */

import { createHash } from "node:crypto";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export function computeAcceptValue(key: string): string {
  return createHash("sha1").update(key + GUID).digest("base64");
}
