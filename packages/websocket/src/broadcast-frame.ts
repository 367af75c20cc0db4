/**
 * Messages framed once for many connections: WebSocketGroup frames a broadcast with `ws`'s own
 * framer and writes the same bytes to every member's socket, instead of having `ws` frame it
 * again for each one. Server frames are not masked, so the bytes are the same for all.
 */

import WebSocket from "ws";

/** `ws` exports its Sender at run time; its type definitions leave it out. */
interface SenderStatic {
  frame(data: Buffer, options: { fin: boolean; rsv1: boolean; opcode: number; mask: boolean; readOnly: boolean }): Buffer[];
}
/** What a `ws` WebSocket keeps that writing framed bytes needs. */
interface WebSocketInternals {
  _socket: import("node:net").Socket;
  _sender: { _state: number };
}

const Sender = (WebSocket as unknown as { Sender: SenderStatic }).Sender;
/** Sender._state when it is not compressing or waiting on a Blob (nothing queued inside it). */
const SENDER_IDLE = 0;

/** A message to broadcast, framed once when a member needs it. */
export interface BroadcastMessage {
  readonly data: Buffer;
  readonly binary: boolean;
  frame: Buffer | null;
}

/** The whole frame of `message`: header and payload, FIN, unmasked, not compressed. */
export function frameOf(message: BroadcastMessage): Buffer {
  if (message.frame === null) {
    const parts = Sender.frame(message.data, { fin: true, rsv1: false, opcode: message.binary ? 2 : 1, mask: false, readOnly: true });
    message.frame = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }
  return message.frame;
}

/**
 * Writes framed `bytes` (the frames of `messages`) to one open connection. When `ws` holds
 * messages of its own back (compressing one under permessage-deflate) each message goes
 * through `ws.send` instead, so that it stays behind them; broadcasts are sent uncompressed
 * either way, as RFC 7692 allows.
 */
export function writeFrames(ws: WebSocket, bytes: Buffer, messages: readonly BroadcastMessage[]): void {
  const internals = ws as unknown as WebSocketInternals;
  if (internals._sender._state === SENDER_IDLE) {
    internals._socket.write(bytes);
    return;
  }
  for (const message of messages) ws.send(message.data, { binary: message.binary, compress: false });
}
