/**
 * What the chat's HTTP handlers share: the room (from the application), the message template,
 * and a refusal that says why in JSON.
 */

import { RequestHandler } from "@tornado/tornado";
import type { ChatRoom } from "../chat-room";
import { newMessage, type ChatMessage } from "../message";

/** The room, set by ChatApplication; read through `handler.room`. */
export interface RoomHolder {
  readonly room: ChatRoom;
}

/** `message.html` for a new message with a fresh id. Tornado's demos: render_string("message.html", message=...). */
export function renderMessage(handler: RequestHandler, body: string): ChatMessage {
  return newMessage(body, (message) => String(handler.renderString("message.html", { message })));
}

export class ChatHandler extends RequestHandler {
  get room(): ChatRoom {
    return (this.application as unknown as RoomHolder).room;
  }

  /** Which process answered: with WORKERS=n, where a request landed. */
  override setDefaultHeaders(): void {
    this.setHeader("X-Chat-Process", String(process.pid));
  }

  /** Finishes with `status` and `{ "error": reason }`; nothing was stored. */
  protected refuse(status: number, reason: string): Promise<void> {
    this.setStatus(status);
    return this.finish({ error: reason });
  }
}
