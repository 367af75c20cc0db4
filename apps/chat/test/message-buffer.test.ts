/**
 * MessageBuffer, the cursor semantics of Tornado's demos/chat (get_messages_since and the
 * waiting loop of MessageUpdatesHandler.post), and waits that leave nothing behind.
 */

import { randomUUID } from "node:crypto";
import { MessageBuffer } from "../src/message-buffer";
import type { ChatMessage } from "../src/message";

function message(body: string): ChatMessage {
  return { id: randomUUID(), body, html: `<div>${body}</div>` };
}

function bodies(messages: readonly ChatMessage[] | null): string[] | null {
  return messages === null ? null : messages.map((each) => each.body);
}

describe("MessageBuffer.getMessagesSince", () => {
  const buffer = new MessageBuffer();
  const [a, b, c] = [message("a"), message("b"), message("c")];
  beforeAll(() => [a, b, c].forEach((each) => buffer.addMessage(each)));

  it("gives every message without a cursor", () => {
    expect(bodies(buffer.getMessagesSince(null))).toEqual(["a", "b", "c"]);
  });

  it("gives the messages after the cursor, oldest first", () => {
    expect(bodies(buffer.getMessagesSince(a.id))).toEqual(["b", "c"]);
    expect(bodies(buffer.getMessagesSince(b.id))).toEqual(["c"]);
  });

  it("gives nothing after the newest message", () => {
    expect(buffer.getMessagesSince(c.id)).toEqual([]);
  });

  it("gives every message for a cursor it does not hold (a client that fell behind, as Tornado's)", () => {
    expect(bodies(buffer.getMessagesSince(randomUUID()))).toEqual(["a", "b", "c"]);
  });
});

describe("MessageBuffer keeps the last 200 messages", () => {
  it("drops the oldest, and a cursor that was dropped gets all that is left", () => {
    const buffer = new MessageBuffer();
    const all = Array.from({ length: 205 }, (_, index) => message(String(index)));
    all.forEach((each) => buffer.addMessage(each));
    expect(buffer.messages.length).toBe(200);
    expect(buffer.messages[0]!.body).toBe("5");
    expect(buffer.messages[199]!.body).toBe("204");
    expect(buffer.getMessagesSince(all[2]!.id).length).toBe(200);
    expect(bodies(buffer.getMessagesSince(all[203]!.id))).toEqual(["204"]);
  });

  it("takes another size", () => {
    const buffer = new MessageBuffer(2);
    ["x", "y", "z"].forEach((body) => buffer.addMessage(message(body)));
    expect(bodies(buffer.messages)).toEqual(["y", "z"]);
  });
});

describe("MessageBuffer.waitForMessagesSince", () => {
  it("answers at once when there are newer messages", async () => {
    const buffer = new MessageBuffer();
    const first = message("first");
    buffer.addMessage(first);
    buffer.addMessage(message("second"));
    expect(bodies(await buffer.waitForMessagesSince(first.id, new AbortController().signal))).toEqual(["second"]);
    expect(buffer.waiting).toBe(0);
  });

  it("waits on the Condition until a message arrives, then gives only the new ones", async () => {
    const buffer = new MessageBuffer();
    const seen = message("seen");
    buffer.addMessage(seen);
    const waits = [buffer.waitForMessagesSince(seen.id, new AbortController().signal), buffer.waitForMessagesSince(seen.id, new AbortController().signal)];
    expect(buffer.waiting).toBe(2);
    expect(String(buffer.condition)).toBe("<Condition waiters[2]>");
    buffer.addMessage(message("new"));
    expect((await Promise.all(waits)).map(bodies)).toEqual([["new"], ["new"]]);
    expect(buffer.waiting).toBe(0);
    expect(String(buffer.condition)).toBe("<Condition>");
  });

  it("an empty buffer makes even a cursorless request wait", async () => {
    const buffer = new MessageBuffer();
    const wait = buffer.waitForMessagesSince(null, new AbortController().signal);
    expect(buffer.waiting).toBe(1);
    buffer.addMessage(message("hello"));
    expect(bodies(await wait)).toEqual(["hello"]);
  });

  it("resolves with null and leaves no waiter on the Condition when the signal aborts", async () => {
    const buffer = new MessageBuffer();
    const left = new AbortController();
    const stays = new AbortController();
    const leaving = buffer.waitForMessagesSince(null, left.signal);
    const staying = buffer.waitForMessagesSince(null, stays.signal);
    expect(buffer.waiting).toBe(2);
    left.abort();
    expect(await leaving).toBeNull();
    expect(buffer.waiting).toBe(1);
    expect(String(buffer.condition)).toBe("<Condition waiters[1]>");
    buffer.addMessage(message("for the one who stayed"));
    expect(bodies(await staying)).toEqual(["for the one who stayed"]);
    expect(String(buffer.condition)).toBe("<Condition>");
  });

  it("resolves with null at once for a signal already aborted", async () => {
    const buffer = new MessageBuffer();
    expect(await buffer.waitForMessagesSince(null, AbortSignal.abort())).toBeNull();
    expect(buffer.waiting).toBe(0);
  });

  it("answers the waiting requests with nothing once closed, and later ones at once", async () => {
    const buffer = new MessageBuffer();
    const wait = buffer.waitForMessagesSince(null, new AbortController().signal);
    buffer.close();
    expect(await wait).toEqual([]);
    expect(await buffer.waitForMessagesSince(null, new AbortController().signal)).toEqual([]);
    expect(buffer.waiting).toBe(0);
  });
});
