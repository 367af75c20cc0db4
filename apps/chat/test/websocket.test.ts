/**
 * `/chatsocket` (Tornado's demos/websocket) with the `ws` client, and its crossing with the
 * long-polling routes: a message posted over one transport reaches the clients of the other.
 * Hostile frames close with a clear code and store nothing.
 */

import WebSocket from "ws";
import type { ChatMessage } from "../src/message";
import { CLOSE_MESSAGE_TOO_BIG, CLOSE_UNSUPPORTED_DATA, MAX_FRAME_BYTES } from "../src/handlers/chat-socket-handler";
import { MAX_BODY_BYTES } from "../src/message";
import { stats, useChat, Visitor, waitFor } from "./helpers";

/** A WebSocket client of the room: every message it received, and how it closed. */
class SocketClient {
  readonly received: ChatMessage[] = [];
  closed: { code: number; reason: string } | null = null;
  readonly whenClosed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data: Buffer) => this.received.push(JSON.parse(data.toString())));
    this.whenClosed = new Promise((resolve) =>
      ws.on("close", (code: number, reason: Buffer) => resolve((this.closed = { code, reason: reason.toString() }))),
    );
  }

  static async connect(url: string, headers: Record<string, string> = {}): Promise<SocketClient> {
    const ws = new WebSocket(`${url.replace(/^http/, "ws")}/chatsocket`, { headers });
    const client = new SocketClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    return client;
  }

  send(body: unknown): void {
    this.ws.send(typeof body === "string" ? body : JSON.stringify(body));
  }

  async next(count = 1): Promise<ChatMessage[]> {
    await waitFor(() => this.received.length >= count || this.closed !== null);
    return this.received.splice(0, count);
  }

  close(): Promise<unknown> {
    if (this.closed === null) this.ws.close();
    return this.whenClosed;
  }
}

describe("the WebSocket transport and its crossing with long polling", () => {
  const chat = useChat();
  const clients: SocketClient[] = [];
  const connect = async (): Promise<SocketClient> => {
    const client = await SocketClient.connect(chat.url);
    clients.push(client);
    return client;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  it("sends a message from one socket to every socket, sender included, as { id, body, html }", async () => {
    const [alice, bob] = [await connect(), await connect()];
    await waitFor(async () => (await stats(chat.url)).sockets === 2);
    alice.send({ body: "hi <b>bob</b>" });
    const [forAlice] = await alice.next();
    const [forBob] = await bob.next();
    expect(forBob).toEqual(forAlice);
    expect(forBob).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), body: "hi <b>bob</b>", html: `<div class="message" id="m${forBob!.id}">hi &lt;b&gt;bob&lt;/b&gt;</div>\n` });
  });

  it("a message sent over the WebSocket answers a parked long poll", async () => {
    const visitor = await Visitor.arrive(chat.url);
    const socket = await connect();
    const last = await visitor.say("the poller is up to date");
    await socket.next();
    const polling = visitor.updates(last.id);
    await waitFor(() => chat.room.buffer.waiting === 1);
    socket.send({ body: "from the socket" });
    const [echo] = await socket.next();
    expect(await polling).toEqual([echo]);
  });

  it("a message posted over long polling reaches the sockets", async () => {
    const visitor = await Visitor.arrive(chat.url);
    const [one, two] = [await connect(), await connect()];
    const posted = await visitor.say("from the long poll");
    expect(await one.next()).toEqual([posted]);
    expect(await two.next()).toEqual([posted]);
  });

  it("shows the messages sent over the WebSocket in the page", async () => {
    const socket = await connect();
    socket.send({ body: "<script>alert(1)</script>" });
    const [message] = await socket.next();
    await waitFor(() => chat.room.buffer.messages.at(-1)?.id === message!.id);
    const page = await (await fetch(`${chat.url}/`)).text();
    expect(page).toContain(`<div class="message" id="m${message!.id}">&lt;script&gt;alert(1)&lt;/script&gt;</div>`);
  });

  it("closes with 1009 on a body over 4 KiB, and stores nothing", async () => {
    const before = chat.room.buffer.messages.length;
    const socket = await connect();
    socket.send({ body: "x".repeat(MAX_BODY_BYTES + 1) });
    expect(await socket.whenClosed).toEqual({ code: CLOSE_MESSAGE_TOO_BIG, reason: `the message is ${MAX_BODY_BYTES + 1} bytes, over the limit of ${MAX_BODY_BYTES}` });
    expect(socket.received).toEqual([]);
    expect(chat.room.buffer.messages.length).toBe(before);
  });

  it("closes with 1003 on an empty body, and stores nothing", async () => {
    const before = chat.room.buffer.messages.length;
    const socket = await connect();
    socket.send({ body: "  " });
    expect(await socket.whenClosed).toEqual({ code: CLOSE_UNSUPPORTED_DATA, reason: "the message is empty" });
    expect(chat.room.buffer.messages.length).toBe(before);
  });

  it("closes with 1009 on a frame over the frame limit, before parsing it", async () => {
    const socket = await connect();
    socket.send("x".repeat(MAX_FRAME_BYTES + 1));
    expect((await socket.whenClosed).code).toBe(CLOSE_MESSAGE_TOO_BIG);
  });

  it.each([
    ["text that is not JSON", "hello"],
    ["JSON that is not an object", "[1, 2]"],
    ["an object without a string body", JSON.stringify({ body: 42 })],
    ["binary data", Buffer.from('{"body":"bytes"}')],
  ])("closes with 1003 on %s, and stores nothing", async (_name, data) => {
    const before = chat.room.buffer.messages.length;
    const socket = await connect();
    socket.ws.send(data);
    expect(await socket.whenClosed).toEqual({ code: CLOSE_UNSUPPORTED_DATA, reason: 'expected the text {"body": "..."}' });
    expect(chat.room.buffer.messages.length).toBe(before);
  });

  it("refuses a connection from a page of another site with 403", async () => {
    const refused = await SocketClient.connect(chat.url, { origin: "http://evil.example" }).catch((error: Error) => error);
    expect(String(refused)).toContain("Unexpected server response: 403");
  });

  it("leaves the room when a socket closes", async () => {
    const socket = await connect();
    await waitFor(async () => (await stats(chat.url)).sockets === 1);
    await socket.close();
    await waitFor(async () => (await stats(chat.url)).sockets === 0);
  });
});
