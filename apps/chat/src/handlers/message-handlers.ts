/**
 * The long-polling transport of Tornado's demos/chat: `POST /a/message/new` and
 * `POST /a/message/updates`, both under XSRF protection (the application's xsrfCookies).
 */

import { appLog } from "@tornado/tornado";
import { bodyRefusal, isCursor } from "../message";
import { ChatHandler, renderMessage } from "./chat-handler";

/** A `next` that stays on this site: a path, not `//host` or `/\host`. */
function isLocalPath(next: string): boolean {
  return next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\");
}

/**
 * Posts a message: answers it as JSON (the page's script), or redirects to `next` (a form
 * posted without script). Tornado: MessageNewHandler.
 */
export class MessageNewHandler extends ChatHandler {
  override async post(): Promise<void> {
    const body = this.getArgument("body");
    const refusal = bodyRefusal(body);
    if (refusal !== null) return this.refuse(400, refusal);
    const next = this.getArgument("next", null);
    if (next !== null && !isLocalPath(next)) return this.refuse(400, "next must be a path on this site");
    const message = renderMessage(this, body);
    try {
      await this.room.post(message);
    } catch (error) {
      appLog.warning("chat: the broker did not take a message", error);
      return this.refuse(503, "the message reached only this process's sockets; try again");
    }
    if (next !== null) this.redirect(next);
    else this.write({ ...message });
  }
}

/**
 * Long poll: answers with the messages after `cursor` once there are some. The wait is on the
 * buffer's Condition with an AbortSignal that onConnectionClose aborts, so a client that
 * leaves is no longer waited for. Tornado: MessageUpdatesHandler.
 */
export class MessageUpdatesHandler extends ChatHandler {
  readonly #left = new AbortController();

  override async post(): Promise<void> {
    const cursor = this.getArgument("cursor", null);
    if (cursor !== null && !isCursor(cursor)) return this.refuse(400, "cursor must be the id of a message");
    const messages = await this.room.buffer.waitForMessagesSince(cursor, this.#left.signal);
    // The client left: there is no one to answer.
    if (messages === null) return;
    this.write({ messages: messages.map((message) => ({ ...message })) });
  }

  override onConnectionClose(): void {
    super.onConnectionClose();
    this.#left.abort();
  }
}
