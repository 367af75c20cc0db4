import { UIModule } from "@tornado/tornado";
import type { ChatMessage } from "./message";

/** `{% module Message(message) %}`: one message in the page, the same HTML the handlers send. */
export class MessageModule extends UIModule {
  override render(message: ChatMessage): string {
    return this.renderString("message.html", { message });
  }
}
