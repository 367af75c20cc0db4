/**
 * A real browser: headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core)
 * opens a WebSocket to a handler served by our Application, exchanges text and binary
 * messages with permessage-deflate, and closes. Skips, visibly, without Chromium.
 */

import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { RequestHandler } from "@tornado/web";
import { WebSocketHandler } from "@tornado/websocket";
import { LogCapture, startApp, waitFor, type TestApp } from "./support";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser test skipped: ${CHROMIUM} is not installed`);

class PageHandler extends RequestHandler {
  override get() {
    this.write("<!doctype html><title>ws</title>");
  }
}

class ChatHandler extends WebSocketHandler {
  static closes: [number | null, string | null][] = [];
  override getCompressionOptions() {
    return {};
  }
  override open() {
    void this.writeMessage(`welcome ${this.request.headers.get("Origin") === `http://${this.request.host}` ? "same-origin" : "?"}`);
  }
  override onMessage(message: string | Buffer) {
    if (Buffer.isBuffer(message)) return this.writeMessage(Buffer.from(message.reverse()), true);
    return this.writeMessage(`echo: ${message}`);
  }
  override onClose() {
    ChatHandler.closes.push([this.closeCode, this.closeReason]);
  }
}

(hasChromium ? describe : describe.skip)("headless Chromium", () => {
  const logs = new LogCapture();
  let browser: Browser;
  let t: TestApp;

  beforeAll(async () => {
    logs.start();
    t = await startApp([
      ["/", PageHandler],
      ["/chat", ChatHandler],
    ]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  }, 60000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    logs.stop();
  });

  it("exchanges text and binary messages with a handler, then closes 1000", async () => {
    const page = await browser.newPage();
    await page.goto(t.httpUrl("/"));
    const result = await page.evaluate(async (url) => {
      const ws = new WebSocket(url);
      ws.binaryType = "arraybuffer";
      const messages: unknown[] = [];
      const next = () => new Promise((resolve) => ws.addEventListener("message", (event) => resolve(event.data), { once: true }));
      await new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = reject;
      });
      messages.push(await next());
      ws.send("hello from the browser");
      messages.push(await next());
      ws.send(new Uint8Array([1, 2, 3]));
      messages.push(Array.from(new Uint8Array((await next()) as ArrayBuffer)));
      const closed = new Promise<number>((resolve) => (ws.onclose = (event) => resolve(event.code)));
      ws.close(1000, "bye");
      return { messages, extensions: ws.extensions, code: await closed };
    }, t.wsUrl("/chat"));
    expect(result).toEqual({
      messages: ["welcome same-origin", "echo: hello from the browser", [3, 2, 1]],
      extensions: expect.stringContaining("permessage-deflate"),
      code: 1000,
    });
    await page.close();
    await waitFor(() => ChatHandler.closes.length > 0);
    expect(ChatHandler.closes).toEqual([[1000, "bye"]]);
  }, 60000);
});
