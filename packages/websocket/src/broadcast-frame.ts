/**
 * A message framed once for many connections: WebSocketGroup frames a broadcast with `ws`'s
 * own framer and writes the same bytes to every member's socket, instead of having `ws` frame
 * it again for each one. Server frames are not masked, so the bytes are the same for all.
 */

import WebSocket from "ws";

/** `ws` exports its Sender at run time; its type definitions leave it out. */
interface SenderStatic {
  frame(data: Buffer, options: { fin: boolean; rsv1: boolean; opcode: number; mask: boolean; readOnly: boolean }): Buffer[];
}
/** What a `ws` WebSocket keeps that writing a pre-framed message needs. */
interface WebSocketInternals {
  _socket: import("node:net").Socket;
  _sender: { _state: number };
}

const Sender = (WebSocket as unknown as { Sender: SenderStatic }).Sender;
/** Sender._state when it is not compressing or waiting on a Blob (nothing queued inside it). */
const SENDER_IDLE = 0;

/** A message with its frame. */
export interface BroadcastFrame {
  /** The whole frame: header and payload, unmasked, not compressed. */
  readonly bytes: Buffer;
  readonly data: Buffer;
  readonly binary: boolean;
}

/** Frames `data` once (text or binary, FIN, RSV1 clear). */
export function frameMessage(data: string | Buffer, binary: boolean): BroadcastFrame {
  const payload = typeof data === "string" ? Buffer.from(data) : data;
  const parts = Sender.frame(payload, { fin: true, rsv1: false, opcode: binary ? 2 : 1, mask: false, readOnly: true });
  return { bytes: parts.length === 1 ? parts[0]! : Buffer.concat(parts), data: payload, binary };
}

/**
 * Writes a framed message to one open connection. When `ws` holds messages of its own back
 * (compressing one under permessage-deflate) the message goes through `ws.send` instead, so
 * that it stays behind them; it is sent uncompressed either way, as RFC 7692 allows.
 */
export function writeFrame(ws: WebSocket, frame: BroadcastFrame): void {
  const internals = ws as unknown as WebSocketInternals;
  if (internals._sender._state === SENDER_IDLE) internals._socket.write(frame.bytes);
  else ws.send(frame.data, { binary: frame.binary, compress: false });
}
