/**
 * WebSocketGroup on real loopback sockets with `ws` clients: membership, broadcast framed once,
 * except, order with compressed writes, the slow-consumer policy, and the broker contract
 * (RedisBroker across processes is tested in @tornado/pubsub, which sits above this package).
 */

import WebSocket from "ws";
import {
  WebSocketClosedError,
  WebSocketGroup,
  WebSocketHandler,
  WebSocketValueError,
  type GroupBroker,
} from "@tornado/websocket";
import { genLog } from "@tornado/ioloop";
import { ExpectLog } from "@tornado/testing";
import { deferred, startApp, waitFor, type TestApp } from "./support";

interface GroupOptions {
  group: WebSocketGroup;
  opened?: (handler: WebSocketHandler) => void;
  /** Told, in onClose, whether the handler was still a member then. */
  closed?: (stillMember: boolean) => void;
  compress?: boolean;
}

class MemberHandler extends WebSocketHandler {
  groupOptions!: GroupOptions;
  override initialize(options: GroupOptions): void {
    this.groupOptions = options;
  }
  override open(): void {
    this.groupOptions.group.add(this);
    this.groupOptions.opened?.(this);
  }
  override onMessage(message: string | Buffer): void {
    // "w:<text>" writes to this member alone; anything else is broadcast to the others.
    if (typeof message === "string" && message.startsWith("w:")) void this.writeMessage(message.slice(2));
    else void this.groupOptions.group.broadcast(message, { except: this });
  }
  override onClose(): void {
    this.groupOptions.closed?.(this.groupOptions.group.has(this));
  }
  override getCompressionOptions() {
    return this.groupOptions.compress ? {} : null;
  }
}

/** A `ws` client that records what it receives. */
class Client {
  readonly received: Array<string | Buffer> = [];
  closeCode: number | null = null;
  readonly ws: WebSocket;
  readonly closed: Promise<void>;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on("message", (data: Buffer, isBinary: boolean) => this.received.push(isBinary ? data : data.toString()));
    this.closed = new Promise((resolve) =>
      ws.on("close", (code: number) => {
        this.closeCode = code;
        resolve();
      }),
    );
  }

  static open(url: string, options: WebSocket.ClientOptions = {}): Promise<Client> {
    const ws = new WebSocket(url, { perMessageDeflate: false, ...options });
    const client = new Client(ws);
    return new Promise((resolve, reject) => {
      ws.once("open", () => resolve(client));
      ws.once("error", reject);
    });
  }

  until(count: number): Promise<void> {
    return waitFor(() => this.received.length >= count);
  }

  close(): Promise<void> {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.terminate();
    return this.closed;
  }
}

async function startGroup(options: Partial<GroupOptions> & { groupOptions?: ConstructorParameters<typeof WebSocketGroup>[0] } = {}) {
  const group = options.group ?? new WebSocketGroup(options.groupOptions);
  const handlers: WebSocketHandler[] = [];
  const closedAsMember: boolean[] = [];
  const handlerOptions: GroupOptions = {
    group,
    compress: options.compress,
    opened: (handler) => handlers.push(handler),
    closed: (stillMember) => closedAsMember.push(stillMember),
  };
  const app = await startApp([["/ws", MemberHandler, handlerOptions]]);
  return { app, group, handlers, closedAsMember };
}

async function openClients(app: TestApp, count: number, options?: WebSocket.ClientOptions): Promise<Client[]> {
  return Promise.all(Array.from({ length: count }, () => Client.open(app.wsUrl("/ws"), options)));
}

describe("WebSocketGroup", () => {
  let app: TestApp | undefined;
  let clients: Client[] = [];
  afterEach(async () => {
    await Promise.all(clients.map((client) => client.close()));
    clients = [];
    await app?.stop();
    app = undefined;
  });

  it("broadcasts text, bytes and JSON to every member in order; except skips the sender", async () => {
    const started = await startGroup();
    app = started.app;
    clients = await openClients(app, 3);
    await waitFor(() => started.group.size === 3);
    const group = started.group;
    await group.broadcast("text ✓");
    await group.broadcast(Buffer.from([0, 1, 255]));
    await group.broadcast({ a: "</script>" });
    await group.broadcast(Buffer.from("bytes as text"), { binary: false });
    await group.broadcast("text as binary", { binary: true });
    await group.broadcast("not to the first", { except: started.handlers[0] });
    await group.broadcast("to the first only", { except: started.handlers.slice(1) });
    await Promise.all(clients.map((client) => client.until(6)));
    const common = ["text ✓", Buffer.from([0, 1, 255]), '{"a":"<\\/script>"}', "bytes as text", Buffer.from("text as binary")];
    const byHandler = new Map(started.handlers.map((handler, i) => [handler, i]));
    // Clients and handlers opened concurrently: match them by what each received last.
    const first = clients.find((client) => client.received.at(-1) === "to the first only")!;
    expect(first.received).toEqual([...common, "to the first only"]);
    for (const client of clients.filter((client) => client !== first)) {
      expect(client.received).toEqual([...common, "not to the first"]);
    }
    expect(byHandler.size).toBe(3);
  });

  it("writes the broadcasts of one task together, in order with writeMessage and close", async () => {
    const started = await startGroup();
    app = started.app;
    clients = await openClients(app, 2);
    await waitFor(() => started.group.size === 2);
    const [first] = started.handlers;
    void started.group.broadcast("a");
    void first!.writeMessage("b (first only)");
    void started.group.broadcast("c", { except: first });
    void started.group.broadcast("d");
    first!.close(1000, "bye");
    void started.group.broadcast("e (after the close)");
    await waitFor(() => clients.some((client) => client.closeCode === 1000));
    const closed = clients.find((client) => client.closeCode === 1000)!;
    const other = clients.find((client) => client !== closed)!;
    await other.until(4);
    expect(closed.received).toEqual(["a", "b (first only)", "d"]);
    expect(other.received).toEqual(["a", "c", "d", "e (after the close)"]);
  });

  it("a member's message reaches the others, not itself", async () => {
    const started = await startGroup();
    app = started.app;
    clients = await openClients(app, 3);
    await waitFor(() => started.group.size === 3);
    clients[0]!.ws.send("hi all");
    await Promise.all([clients[1]!.until(1), clients[2]!.until(1)]);
    clients[0]!.ws.send("w:probe"); // answered after "hi all" would have been, had it been sent
    await clients[0]!.until(1);
    expect(clients[0]!.received).toEqual(["probe"]);
    expect(clients[1]!.received).toEqual(["hi all"]);
  });

  it("drops a member when it closes, before its onClose; add, remove and has", async () => {
    const started = await startGroup();
    app = started.app;
    clients = await openClients(app, 2);
    await waitFor(() => started.group.size === 2);
    const [a, b] = started.handlers;
    expect(started.group.has(a!)).toBe(true);
    expect([...started.group.members()].sort()).toEqual([a, b].sort());
    expect(started.group.remove(a!)).toBe(true);
    expect(started.group.remove(a!)).toBe(false);
    expect(started.group.size).toBe(1);
    started.group.add(a!);
    started.group.add(a!);
    expect(started.group.size).toBe(2);
    await clients[0]!.close();
    await waitFor(() => started.closedAsMember.length === 1);
    expect(started.closedAsMember).toEqual([false]);
    expect(started.group.size).toBe(1);
    expect(() => started.group.add(started.handlers.find((handler) => handler.wsConnection!.isClosing)!)).toThrow(
      new WebSocketClosedError("only an open WebSocket can join a group"),
    );
  });

  it("keeps the order of a compressed writeMessage and an uncompressed broadcast on one connection", async () => {
    const started = await startGroup({ compress: true });
    app = started.app;
    clients = await openClients(app, 1, { perMessageDeflate: true });
    await waitFor(() => started.group.size === 1);
    const handler = started.handlers[0]!;
    const expected: string[] = [];
    for (let i = 0; i < 50; i++) {
      void handler.writeMessage(`compressed ${i} ${"x".repeat(200)}`);
      void started.group.broadcast(`broadcast ${i}`);
      expected.push(`compressed ${i} ${"x".repeat(200)}`, `broadcast ${i}`);
    }
    await clients[0]!.until(100);
    expect(clients[0]!.received).toEqual(expected);
  });

  it("closes a member that stops reading with 1013, bounded, and the others get everything", async () => {
    const max = 256 * 1024;
    const started = await startGroup({ groupOptions: { maxBufferedAmount: max } });
    app = started.app;
    clients = await openClients(app, 2);
    await waitFor(() => started.group.size === 2);
    const [slow, fast] = clients as [Client, Client];
    (slow.ws as unknown as { _socket: import("node:net").Socket })._socket.pause();
    const payload = "y".repeat(16 * 1024);
    let maxSeen = 0;
    let sent = 0;
    // Until the kernel buffers are full and the group has given up on the slow member.
    while (started.group.stats.slowConsumersClosed === 0 && sent < 4000) {
      await started.group.broadcast(`${sent++} ${payload}`);
      for (const handler of started.handlers) maxSeen = Math.max(maxSeen, handler.wsConnection!.ws.bufferedAmount);
      await fast.until(sent);
    }
    expect(started.group.stats.slowConsumersClosed).toBe(1);
    expect(started.group.size).toBe(1);
    // Unsent bytes never passed the limit (plus the close frame).
    expect(maxSeen).toBeLessThanOrEqual(max + 256);
    await started.group.broadcast("after");
    await fast.until(sent + 1);
    expect(fast.received.at(-1)).toBe("after");
    (slow.ws as unknown as { _socket: import("node:net").Socket })._socket.resume();
    await slow.closed;
    expect(slow.closeCode).toBe(1013);
    // What it got is a prefix of what was sent, in order.
    expect(slow.received).toEqual(fast.received.slice(0, slow.received.length));
  });

  it("with the drop policy skips messages for a slow member and keeps it", async () => {
    const max = 128 * 1024;
    const started = await startGroup({ groupOptions: { maxBufferedAmount: max, slowConsumer: "drop" } });
    app = started.app;
    clients = await openClients(app, 2);
    await waitFor(() => started.group.size === 2);
    const [slow, fast] = clients as [Client, Client];
    const socket = (slow.ws as unknown as { _socket: import("node:net").Socket })._socket;
    socket.pause();
    const payload = "z".repeat(16 * 1024);
    let sent = 0;
    while (started.group.stats.droppedMessages < 20) {
      await started.group.broadcast(`${sent++} ${payload}`);
      await fast.until(sent);
    }
    expect(started.group.size).toBe(2);
    socket.resume();
    await started.group.broadcast("last");
    await slow.until(1);
    await waitFor(() => slow.received.at(-1) === "last");
    const numbers = slow.received.slice(0, -1).map((message) => Number(String(message).split(" ")[0]));
    expect(numbers.length).toBe(sent - started.group.stats.droppedMessages);
    expect(numbers).toEqual([...numbers].sort((x, y) => x - y));
    expect(fast.received.length).toBe(sent + 1);
  });

  it("with a broker: publishes on websocket-group:<name>, delivers what others publish, skips its own", async () => {
    const published: Array<[string, string | Buffer]> = [];
    let deliver: ((payload: string | Buffer) => void) | undefined;
    const subscribed = deferred<{ skipOwn: boolean }>();
    let unsubscribed = false;
    // The broker contract as the group sees it; a real RedisBroker is used in @tornado/pubsub's tests.
    const broker: GroupBroker = {
      async publish(channel, payload) {
        published.push([channel, payload]);
        if (String(payload) === "fail") throw new Error("broker down");
      },
      async subscribe(channel, listener, options) {
        expect(channel).toBe("websocket-group:room");
        deliver = listener;
        subscribed.resolve(options);
        return async () => {
          unsubscribed = true;
        };
      },
    };
    const group = new WebSocketGroup({ name: "room", broker });
    expect(group.channel).toBe("websocket-group:room");
    expect(() => new WebSocketGroup({ name: "room", broker })).toThrow(WebSocketValueError);
    await group.whenReady();
    expect(await subscribed.promise).toEqual({ skipOwn: true });
    const started = await startGroup({ group });
    app = started.app;
    clients = await openClients(app, 2);
    await waitFor(() => group.size === 2);
    await group.broadcast("local");
    await group.broadcast(Buffer.from([1, 2]));
    deliver!("from elsewhere");
    deliver!(Buffer.from([9]));
    await expect(group.broadcast("fail")).rejects.toThrow("broker down");
    await Promise.all(clients.map((client) => client.until(5)));
    for (const client of clients) {
      expect(client.received).toEqual(["local", Buffer.from([1, 2]), "from elsewhere", Buffer.from([9]), "fail"]);
    }
    expect(published).toEqual([
      ["websocket-group:room", "local"],
      ["websocket-group:room", Buffer.from([1, 2])],
      ["websocket-group:room", "fail"],
    ]);
    await group.close();
    expect(unsubscribed).toBe(true);
    expect(group.size).toBe(0);
    await expect(group.broadcast("x")).rejects.toBeInstanceOf(WebSocketClosedError);
    // The name is free again.
    await new WebSocketGroup({ name: "room", broker }).close();
  });

  it("reports a failed broker subscription through whenReady()", async () => {
    const broker: GroupBroker = {
      publish: async () => undefined,
      subscribe: async () => {
        throw new Error("unreachable");
      },
    };
    await ExpectLog.run(genLog, /WebSocketGroup "r": subscribing through the broker failed/, async () => {
      const group = new WebSocketGroup({ name: "r", broker });
      await expect(group.whenReady()).rejects.toThrow("unreachable");
      await group.close();
    });
  });

  it("checks its options", () => {
    expect(() => new WebSocketGroup({ maxBufferedAmount: 0 })).toThrow(WebSocketValueError);
    expect(() => new WebSocketGroup({ slowConsumer: "block" as "drop" })).toThrow(WebSocketValueError);
    expect(() => new WebSocketGroup({ slowConsumerCloseCode: 1000 as 1008 })).toThrow(WebSocketValueError);
    expect(() => new WebSocketGroup({ name: "" })).toThrow(WebSocketValueError);
    expect(() => new WebSocketGroup({ broker: {} as GroupBroker, name: "x" })).toThrow(WebSocketValueError);
    const noName = { publish: async () => undefined, subscribe: async () => async () => undefined };
    expect(() => new WebSocketGroup({ broker: noName })).toThrow(new WebSocketValueError("a WebSocketGroup with a broker needs a name"));
    expect(() => new WebSocketGroup().broadcast(5 as unknown as string)).toThrow(WebSocketValueError);
  });
});
