/**
 * The WebSocket transport of Tornado's demos/websocket: `/chatsocket`. A client sends
 * `{"body": "..."}` and receives every message of the room as `{ id, body, html }`.
 */

import { appLog, WebSocketHandler, type CompressionOptions } from "@tornado/tornado";
import type { ChatRoom } from "../chat-room";
import { bodyRefusal, MAX_BODY_BYTES } from "../message";
import { renderMessage, type RoomHolder } from "./chat-handler";

/** Frames larger than this close with 1009 before they are parsed (a 4 KiB body, JSON-escaped, fits). */
export const MAX_FRAME_BYTES = 8 * MAX_BODY_BYTES;

/** Close codes (RFC 6455): the data is not a chat message; the message is too big. */
export const CLOSE_UNSUPPORTED_DATA = 1003;
export const CLOSE_MESSAGE_TOO_BIG = 1009;

export class ChatSocketHandler extends WebSocketHandler {
  get room(): ChatRoom {
    return (this.application as unknown as RoomHolder).room;
  }

  override get maxMessageSize(): number {
    return MAX_FRAME_BYTES;
  }

  /** Tornado's demo turns compression on (an empty options object). */
  override getCompressionOptions(): CompressionOptions {
    return {};
  }

  override open(): void {
    this.room.sockets.add(this);
  }

  override async onMessage(data: string | Buffer): Promise<void> {
    const body = typeof data === "string" ? bodyOf(data) : null;
    if (body === null) return this.close(CLOSE_UNSUPPORTED_DATA, 'expected the text {"body": "..."}');
    const refusal = bodyRefusal(body);
    if (refusal !== null) {
      return this.close(Buffer.byteLength(body) > MAX_BODY_BYTES ? CLOSE_MESSAGE_TOO_BIG : CLOSE_UNSUPPORTED_DATA, refusal);
    }
    try {
      await this.room.post(renderMessage(this, body));
    } catch (error) {
      appLog.warning("chat: the broker did not take a message", error);
    }
  }
}

/** The `body` of a JSON object, or null when `text` is not one with a string body. */
function bodyOf(text: string): string | null {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== "object") return null;
    const body = (value as Record<string, unknown>).body;
    return typeof body === "string" ? body : null;
  } catch {
    return null;
  }
}
