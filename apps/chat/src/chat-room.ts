/**
 * The room both transports share: a WebSocketGroup for the sockets, and the MessageBuffer the
 * long polls wait on, fed from the group's own broker channel, so every message (posted over
 * either transport, in any process on the broker) reaches every socket and every buffer once.
 */

import { appLog, WebSocketGroup, type Broker } from "@tornado/tornado";
import { MessageBuffer } from "./message-buffer";
import { parseMessage, type ChatMessage } from "./message";

/** What GET /a/stats answers: enough to see a leak or where a client landed. */
export interface ChatStats {
  /** This process. */
  pid: number;
  /** Long-poll requests parked on the buffer's Condition. */
  waiting: number;
  /** Messages in the buffer (at most 200). */
  messages: number;
  /** Open WebSocket connections in this process. */
  sockets: number;
}

export class ChatRoom {
  readonly buffer = new MessageBuffer();
  readonly sockets: WebSocketGroup;
  #unsubscribe: (() => Promise<void>) | null = null;

  private constructor(readonly broker: Broker) {
    this.sockets = new WebSocketGroup({ name: "chat", broker });
  }

  /** Resolves once both the group and the buffer receive the broker's messages. */
  static async open(broker: Broker): Promise<ChatRoom> {
    const room = new ChatRoom(broker);
    // Own messages too (no skipOwn): this process's buffer learns of its own posts here.
    room.#unsubscribe = await broker.subscribe(room.sockets.channel!, (payload) => {
      const message = parseMessage(payload);
      if (message === null) appLog.warning(`chat: dropped a malformed message from the broker (${String(payload).length} characters)`);
      else room.buffer.addMessage(message);
    });
    await room.sockets.whenReady();
    return room;
  }

  /**
   * Sends `message` to the sockets here at once and, through the broker, to every buffer and to
   * the sockets of the other processes. Rejects with the broker's error (Redis unreachable):
   * then only this process's sockets saw it.
   */
  post(message: ChatMessage): Promise<void> {
    return this.sockets.broadcast({ ...message });
  }

  get stats(): ChatStats {
    let sockets = 0;
    for (const _ of this.sockets.members()) sockets += 1;
    return { pid: process.pid, waiting: this.buffer.waiting, messages: this.buffer.messages.length, sockets };
  }

  /** Answers the parked long polls, leaves the broker channel. The broker stays open (its owner closes it). */
  async close(): Promise<void> {
    this.buffer.close();
    await this.#unsubscribe?.();
    this.#unsubscribe = null;
    await this.sockets.close();
  }
}
