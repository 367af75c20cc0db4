/**
 * Two Chromium pages talking: in one process, one page on the WebSocket and one long polling;
 * then two pages on two processes that share a real redis-server. Each test saves a
 * screenshot (test-output/, and docs/ with UPDATE_SCREENSHOTS=1 for the README).
 */

import { join } from "node:path";
import { describeWithBrowser, saveScreenshot, useBrowser, type Page } from "@tornado-apps/browser-testing";
import { itWithRedisServer, startRedisServer, type RedisServer } from "@tornado/tornado";
import { ChatProcess } from "./chat-process";
import { useChat } from "./helpers";

const APP_DIR = join(__dirname, "..");

async function open(page: Page, url: string, transport: "WebSocket" | "Long polling"): Promise<void> {
  await page.goto(transport === "WebSocket" ? `${url}/` : `${url}/?transport=poll`);
  await page.waitForFunction((expected) => document.getElementById("transport")!.textContent === expected, transport);
}

async function say(page: Page, text: string): Promise<void> {
  await page.fill("#message", text);
  await page.press("#message", "Enter");
}

/** Waits until `text` is the text of a message in the page's inbox. */
async function sees(page: Page, text: string): Promise<void> {
  await page.waitForFunction((expected) => [...document.querySelectorAll("#inbox .message")].some((node) => node.textContent === expected), text);
}

async function inbox(page: Page): Promise<string[]> {
  return page.$$eval("#inbox .message", (nodes) => nodes.map((node) => node.textContent!));
}

describeWithBrowser("two Chromium pages in one process", () => {
  const chat = useChat();
  const browser = useBrowser();

  it("talk, one over the WebSocket and one by long polling; markup arrives as text", async () => {
    const [alice, bob] = [await browser.newPage(), await browser.newPage()];
    await open(alice, chat.url, "WebSocket");
    await open(bob, chat.url, "Long polling");
    await say(alice, "Hello from the WebSocket page");
    await sees(bob, "Hello from the WebSocket page");
    const hostile = `<img src=x onerror="document.title='pwned'"> <b>over long polling</b>`;
    await say(bob, hostile);
    await sees(alice, hostile);
    await say(alice, "Both demos, one room: https://www.tornadoweb.org/");
    await sees(bob, "Both demos, one room: https://www.tornadoweb.org/");
    await sees(alice, "Both demos, one room: https://www.tornadoweb.org/");
    for (const page of [alice, bob]) {
      expect(await inbox(page)).toEqual(["Hello from the WebSocket page", hostile, "Both demos, one room: https://www.tornadoweb.org/"]);
      expect(await page.$$("#inbox img, #inbox b")).toEqual([]);
      expect(await page.title()).toBe("Tornado Chat Demo");
      expect(await page.getAttribute("#inbox a", "href")).toBe("https://www.tornadoweb.org/");
    }
    // The input is cleared after each message, ready for the next.
    expect(await alice.inputValue("#message")).toBe("");
    await saveScreenshot(alice, APP_DIR, "chat.png");
  });

  it("shows the server's refusal of an oversized message and keeps it out of the room", async () => {
    const page = await browser.newPage();
    await open(page, chat.url, "Long polling");
    const before = chat.room.buffer.messages.length;
    await say(page, "x".repeat(5000));
    await page.waitForFunction(() => document.getElementById("error")!.textContent !== "");
    expect(await page.textContent("#error")).toBe("the message is 5000 bytes, over the limit of 4096");
    expect(chat.room.buffer.messages.length).toBe(before);
    // Chromium logs the refused request; that one console error is expected, and taken out.
    expect(browser.session.errors.splice(0)).toEqual([
      `${chat.url}/?transport=poll: Failed to load resource: the server responded with a status of 400 (Bad Request)`,
    ]);
  });
});

describeWithBrowser("two Chromium pages on two processes through Redis", () => {
  const browser = useBrowser();
  let redis: RedisServer | undefined;
  const processes: ChatProcess[] = [];
  afterAll(async () => {
    await Promise.all(processes.map((chat) => chat.stop()));
    await redis?.stop();
  });

  itWithRedisServer("talk over their WebSockets, each page served by its own process", async () => {
    redis = await startRedisServer();
    processes.push(new ChatProcess(["--port=0"], { REDIS_URL: redis.url }), new ChatProcess(["--port=0"], { REDIS_URL: redis.url }));
    const [first, second] = await Promise.all(processes.map((chat) => chat.serving()));
    const [alice, bob] = [await browser.newPage(), await browser.newPage()];
    await open(alice, first!.url, "WebSocket");
    await open(bob, second!.url, "WebSocket");
    expect(Number(await alice.textContent("#pid"))).toBe(first!.pids[0]);
    expect(Number(await bob.textContent("#pid"))).toBe(second!.pids[0]);
    expect(first!.pids[0]).not.toBe(second!.pids[0]);
    await say(alice, `Hello from process ${first!.pids[0]}`);
    await sees(bob, `Hello from process ${first!.pids[0]}`);
    await say(bob, `And hello back from process ${second!.pids[0]}, through Redis`);
    await sees(alice, `And hello back from process ${second!.pids[0]}, through Redis`);
    await sees(bob, `And hello back from process ${second!.pids[0]}, through Redis`);
    expect(await inbox(alice)).toEqual(await inbox(bob));
    // A page loaded now on either process shows both messages: every buffer got both.
    const late = await browser.newPage();
    await open(late, second!.url, "Long polling");
    expect(await inbox(late)).toEqual(await inbox(alice));
    await saveScreenshot(bob, APP_DIR, "chat-two-processes.png");
  }, 90_000);
});
