// Request handlers: one class per route, a method per HTTP verb (Tornado's RequestHandler).
import { RequestHandler } from "@tornado/tornado";

/** GET /?name=Ada renders templates/index.html. */
export class MainHandler extends RequestHandler {
  async get(): Promise<void> {
    const name = this.getArgument("name", "world");
    await this.render("index.html", { name });
  }
}
