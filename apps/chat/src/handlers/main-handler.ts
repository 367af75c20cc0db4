import { ChatHandler } from "./chat-handler";

/** `GET /`: the page, with the buffered messages. Tornado's demos: MainHandler. */
export class MainHandler extends ChatHandler {
  override get(): Promise<void> {
    return this.render("index.html", { messages: this.room.buffer.messages, pid: process.pid });
  }
}

/** `GET /a/stats`: the room's counters as JSON (this app's addition, for tests and operators). */
export class StatsHandler extends ChatHandler {
  override get(): void {
    this.write({ ...this.room.stats });
  }
}
