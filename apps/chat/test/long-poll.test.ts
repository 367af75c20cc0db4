/**
 * The long-polling routes of Tornado's demos/chat over real sockets: the cursor, parked
 * requests woken by a post, a client that leaves taken off the Condition, and hostile input
 * (no XSRF, XSS payloads, oversized messages, bad cursors, foreign redirects) storing nothing.
 */

import * as http from "node:http";
import { MAX_BODY_BYTES } from "../src/message";
import { stats, useChat, Visitor, waitFor } from "./helpers";

describe("long polling", () => {
  const chat = useChat();
  let visitor: Visitor;
  beforeAll(async () => {
    visitor = await Visitor.arrive(chat.url);
  });

  it("answers a new message as JSON { id, body, html }, and the page shows it afterwards", async () => {
    const message = await visitor.say("Hello, room");
    expect(message).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), body: "Hello, room", html: `<div class="message" id="m${message.id}">Hello, room</div>\n` });
    await waitFor(() => chat.room.buffer.messages.some((each) => each.id === message.id));
    const page = await (await fetch(`${chat.url}/`)).text();
    expect(page).toContain(`<div class="message" id="m${message.id}">Hello, room</div>`);
  });

  it("gives the messages after the cursor; an unknown or missing cursor gets the whole buffer", async () => {
    const first = await visitor.say("one");
    const second = await visitor.say("two");
    const third = await visitor.say("three");
    await waitFor(() => chat.room.buffer.messages.at(-1)?.id === third.id);
    expect((await visitor.updates(first.id)).map((each) => each.body)).toEqual(["two", "three"]);
    expect((await visitor.updates(second.id)).map((each) => each.id)).toEqual([third.id]);
    const all = chat.room.buffer.messages.map((each) => each.id);
    expect((await visitor.updates()).map((each) => each.id)).toEqual(all);
    expect((await visitor.updates("00000000-0000-4000-8000-000000000000")).map((each) => each.id)).toEqual(all);
  });

  it("parks a request that is up to date until the next message, then answers only that one", async () => {
    const last = await visitor.say("before");
    await waitFor(() => chat.room.buffer.messages.at(-1)?.id === last.id);
    const waiting = [visitor.updates(last.id), visitor.updates(last.id)];
    await waitFor(async () => (await stats(chat.url)).waiting === 2);
    const next = await visitor.say("after");
    expect((await Promise.all(waiting)).map((messages) => messages.map((each) => each.id))).toEqual([[next.id], [next.id]]);
    expect((await stats(chat.url)).waiting).toBe(0);
  });

  it("takes a request whose client left off the Condition (the waiter count goes back to 0)", async () => {
    const last = await visitor.say("nobody will read the next one here");
    await waitFor(() => chat.room.buffer.messages.at(-1)?.id === last.id);
    const requests = Array.from({ length: 3 }, () => {
      const body = new URLSearchParams({ cursor: last.id, _xsrf: visitor.xsrf }).toString();
      const request = http.request(`${chat.url}/a/message/updates`, {
        method: "POST",
        agent: false,
        headers: { cookie: visitor.cookie, "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) },
      });
      request.on("error", () => undefined); // destroyed below on purpose
      request.end(body);
      return request;
    });
    await waitFor(() => chat.room.buffer.waiting === 3);
    for (const request of requests) request.destroy();
    await waitFor(() => chat.room.buffer.waiting === 0);
    expect(String(chat.room.buffer.condition)).toBe("<Condition>");
    expect((await stats(chat.url)).waiting).toBe(0);
    // The room goes on: the next message is stored and answered as usual.
    const next = await visitor.say("still here");
    expect((await visitor.updates(last.id)).map((each) => each.id)).toEqual([next.id]);
  });

  it("redirects a form posted without script to next, as Tornado's", async () => {
    const answer = await visitor.post("/a/message/new", { body: "from a form", next: "/" });
    expect(answer.status).toBe(302);
    expect(answer.headers.get("location")).toBe("/");
    await waitFor(() => chat.room.buffer.messages.at(-1)?.body === "from a form");
  });
});

describe("hostile input on the long-polling routes", () => {
  const chat = useChat();
  let visitor: Visitor;
  beforeAll(async () => {
    visitor = await Visitor.arrive(chat.url);
  });

  const stored = (): string[] => chat.room.buffer.messages.map((each) => each.body);

  it("refuses a post without the XSRF token with 403 and stores nothing", async () => {
    const answer = await visitor.post("/a/message/new", { body: "forged" }, { xsrf: false });
    expect(answer.status).toBe(403);
    const noCookie = await fetch(`${chat.url}/a/message/new`, { method: "POST", body: new URLSearchParams({ body: "forged", _xsrf: visitor.xsrf }) });
    expect(noCookie.status).toBe(403);
    expect((await visitor.post("/a/message/updates", {}, { xsrf: false })).status).toBe(403);
    expect(stored()).toEqual([]);
  });

  it("escapes an XSS payload in the JSON's html and in the page", async () => {
    const payload = `<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"`;
    const message = await visitor.say(payload);
    expect(message.body).toBe(payload);
    expect(message.html).not.toContain("<script>");
    expect(message.html).not.toContain("<img");
    expect(message.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;");
    await waitFor(() => stored().includes(payload));
    const page = await (await fetch(`${chat.url}/`)).text();
    expect(page).not.toContain("<img src=x");
    expect(page).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
  });

  it("makes links of URLs but not of javascript: ones", async () => {
    const message = await visitor.say("see http://example.com/a?b=1&c=2 and javascript:alert(1)");
    expect(message.html).toContain('<a href="http://example.com/a?b=1&amp;c=2">http://example.com/a?b=1&amp;c=2</a>');
    expect(message.html).not.toContain('href="javascript:');
  });

  it("refuses a message over 4 KiB with 400 and the reason, and stores nothing", async () => {
    const before = stored();
    const answer = await visitor.post("/a/message/new", { body: "é".repeat(MAX_BODY_BYTES / 2 + 1) });
    expect(answer.status).toBe(400);
    expect(answer.json()).toEqual({ error: `the message is ${MAX_BODY_BYTES + 2} bytes, over the limit of ${MAX_BODY_BYTES}` });
    // Exactly at the limit is fine.
    const atLimit = await visitor.say("x".repeat(MAX_BODY_BYTES));
    await waitFor(() => stored().length === before.length + 1);
    expect(stored().at(-1)).toBe(atLimit.body);
  });

  it("answers a body over the server's limit with 413", async () => {
    const answer = await visitor.post("/a/message/new", { body: "x".repeat(70 * 1024) });
    expect(answer.status).toBe(413);
  });

  it("refuses an empty or missing message with 400", async () => {
    const before = stored().length;
    expect((await visitor.post("/a/message/new", { body: "   " })).json()).toEqual({ error: "the message is empty" });
    expect((await visitor.post("/a/message/new", {})).status).toBe(400);
    expect(stored().length).toBe(before);
  });

  it("refuses a redirect to another site with 400 and stores nothing", async () => {
    const before = stored().length;
    for (const next of ["//evil.example/", "https://evil.example/", "/\\evil.example"]) {
      const answer = await visitor.post("/a/message/new", { body: "phish", next });
      expect(answer.status).toBe(400);
      expect(answer.json()).toEqual({ error: "next must be a path on this site" });
    }
    expect(stored().length).toBe(before);
  });

  it("refuses a cursor that is not a message id with 400, without waiting", async () => {
    for (const cursor of ["", "not-a-uuid", "x".repeat(10_000), "../../etc/passwd"]) {
      const answer = await visitor.post("/a/message/updates", { cursor });
      expect([cursor.slice(0, 20), answer.status]).toEqual([cursor.slice(0, 20), 400]);
      expect(answer.json()).toEqual({ error: "cursor must be the id of a message" });
    }
    expect(chat.room.buffer.waiting).toBe(0);
  });
});
