/**
 * websocket_test.py ported (reference section 3.5): handshake and errors, closing, handler
 * behaviour, pings, size limits, on real loopback sockets with our client (websocketConnect).
 */

import { HTTPClientError, HTTPRequest, HTTPStreamClosedError, HTTPTimeoutError } from "@tornado/httpclient";
import { RequestHandler, ResponseStateError } from "@tornado/web";
import { bindUnusedPort, ExpectLog } from "@tornado/testing";
import { appLog } from "@tornado/ioloop";
import {
  WebSocketClosedError,
  WebSocketError,
  WebSocketHandler,
  WebSocketValueError,
  websocketConnect,
  type WebSocketClientConnection,
} from "@tornado/websocket";
import { deferred, handshakeRequest, LogCapture, rawExchange, startApp, waitFor, type TestApp } from "./support";

type CloseFuture = ReturnType<typeof deferred<[number | null, string | null]>>;

class TestWebSocketHandler extends WebSocketHandler {
  closeFuture: CloseFuture | undefined;
  override initialize(options?: { closeFuture?: CloseFuture }): void {
    this.closeFuture = options?.closeFuture;
  }
  override onClose(): void {
    this.closeFuture?.resolve([this.closeCode, this.closeReason]);
  }
}

class EchoHandler extends TestWebSocketHandler {
  override async onMessage(message: string | Buffer) {
    try {
      await this.writeMessage(message, Buffer.isBuffer(message));
    } catch (error) {
      if (!(error instanceof WebSocketClosedError)) throw error;
    }
  }
}

class ErrorInOnMessageHandler extends TestWebSocketHandler {
  override onMessage(): void {
    throw new Error("boom");
  }
}

class HeaderHandler extends TestWebSocketHandler {
  override open() {
    const results: string[] = [];
    const attempts: [string, () => unknown][] = [
      ["write", () => this.write("x")],
      ["redirect", () => this.redirect("/")],
      ["setHeader", () => this.setHeader("X", "y")],
      ["setCookie", () => this.setCookie("a", "b")],
      ["setStatus", () => this.setStatus(503)],
      ["flush", () => this.flush()],
      ["finish", () => this.finish()],
    ];
    for (const [name, attempt] of attempts) {
      try {
        attempt();
        results.push(`${name}: no error`);
      } catch (error) {
        if (!(error instanceof ResponseStateError) || error.message !== "Method not supported for Web Sockets") throw error;
      }
    }
    void this.writeMessage(results.length === 0 ? (this.request.headers.get("X-Test") ?? "") : results.join(","));
  }
}

class HeaderEchoHandler extends TestWebSocketHandler {
  override setDefaultHeaders(): void {
    this.setHeader("X-Extra-Response-Header", "Extra-Response-Value");
  }
  override prepare(): void {
    for (const [name, value] of this.request.headers.allItems()) {
      if (name.toLowerCase().startsWith("x-test")) this.setHeader(name, value);
    }
    this.setCookie("session", "abc", { httpOnly: true });
  }
}

class NonWebSocketHandler extends RequestHandler {
  override get(): void {
    this.write("ok");
  }
}

class RedirectHandler extends RequestHandler {
  override get(): void {
    void this.redirect("/echo");
  }
}

class CloseReasonHandler extends TestWebSocketHandler {
  override open(): void {
    this.onCloseCalled = false;
    this.close(1001, "goodbye");
  }
  onCloseCalled = false;
}

// Tornado's write_message raises on a closing or closed connection, at the call.
const writesAfterClose: string[] = [];
class WriteAfterCloseHandler extends TestWebSocketHandler {
  override open(): void {
    this.close();
    this.#tryWrite("closing");
  }
  override onClose(): void {
    this.#tryWrite("closed");
    super.onClose();
  }
  #tryWrite(when: string): void {
    try {
      void this.writeMessage("late");
      writesAfterClose.push(`${when}: no error`);
    } catch (error) {
      writesAfterClose.push(`${when}: ${(error as Error).name}`);
    }
  }
}

class AsyncPrepareHandler extends TestWebSocketHandler {
  override async prepare(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  override onMessage(message: string | Buffer) {
    return this.writeMessage(message);
  }
}

class PathArgsHandler extends TestWebSocketHandler {
  override open(arg: unknown): void {
    void this.writeMessage(String(arg));
  }
}

class CoroutineOnMessageHandler extends TestWebSocketHandler {
  sleeping = 0;
  override async onMessage(message: string | Buffer): Promise<void> {
    if (this.sleeping > 0) void this.writeMessage("another coroutine is already sleeping");
    this.sleeping++;
    await new Promise((resolve) => setTimeout(resolve, 10));
    this.sleeping--;
    await this.writeMessage(message);
  }
}

class RenderMessageHandler extends TestWebSocketHandler {
  override onMessage(message: string | Buffer) {
    return this.writeMessage(this.renderString("message.html", { message }));
  }
  override createTemplateLoader() {
    return {
      load: () => ({ generate: (namespace: Record<string, unknown>) => `<b>${String(namespace.message)}</b>` }),
    };
  }
}

class SubprotocolHandler extends TestWebSocketHandler {
  selectCount = 0;
  override selectSubprotocol(subprotocols: string[]): string | null {
    this.selectCount++;
    if (this.selectCount > 1) throw new Error("selectSubprotocol called twice");
    return subprotocols.includes("goodproto") ? "goodproto" : null;
  }
  override open(): void {
    if (this.selectCount !== 1) throw new Error("selectSubprotocol not called");
    void this.writeMessage(`subprotocol=${this.selectedSubprotocol ?? "None"}`);
  }
}

class OpenCoroutineHandler extends TestWebSocketHandler {
  opened = false;
  override async open(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 20));
    this.opened = true;
  }
  override onMessage() {
    if (!this.opened) throw new Error("open has not finished");
    return this.writeMessage("ok");
  }
}

class ErrorInOpenHandler extends TestWebSocketHandler {
  override open(): void {
    throw new Error("boom");
  }
}

class ErrorInAsyncOpenHandler extends TestWebSocketHandler {
  override async open(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    throw new Error("boom");
  }
}

class NoDelayHandler extends TestWebSocketHandler {
  override open(): void {
    this.setNodelay(true);
    void this.writeMessage("hello");
  }
}

class PingHandler extends TestWebSocketHandler {
  override onPing(data: Buffer): void {
    void this.writeMessage(data, true);
  }
}

class GotPingHandler extends TestWebSocketHandler {
  override onPing(): void {
    void this.writeMessage("got ping");
  }
}

class PongHandler extends TestWebSocketHandler {
  override onPong(): void {
    void this.writeMessage("got pong");
  }
}

const logs = new LogCapture();
beforeAll(() => logs.start());
afterAll(() => logs.stop());
afterAll(() => { if (process.env.WS_DEBUG) console.log(logs.records); });

describe("WebSocketHandler (websocket_test.py WebSocketTest)", () => {
  let t: TestApp;
  let closeFuture: CloseFuture;
  const clients: WebSocketClientConnection[] = [];

  async function connect(path: string, options?: Parameters<typeof websocketConnect>[1]): Promise<WebSocketClientConnection> {
    const client = await websocketConnect(t.wsUrl(path), options);
    clients.push(client);
    return client;
  }

  beforeEach(async () => {
    closeFuture = deferred();
    const args = { closeFuture };
    t = await startApp(
      [
        ["/echo", EchoHandler, args],
        ["/non_ws", NonWebSocketHandler],
        ["/redirect", RedirectHandler],
        ["/header", HeaderHandler, args],
        ["/header_echo", HeaderEchoHandler, args],
        ["/close_reason", CloseReasonHandler, args],
        ["/write_after_close", WriteAfterCloseHandler, args],
        ["/error_in_on_message", ErrorInOnMessageHandler, args],
        ["/async_prepare", AsyncPrepareHandler, args],
        ["/path_args/(.*)", PathArgsHandler, args],
        ["/coroutine", CoroutineOnMessageHandler, args],
        ["/render", RenderMessageHandler, args],
        ["/subprotocol", SubprotocolHandler, args],
        ["/open_coroutine", OpenCoroutineHandler, args],
        ["/error_in_open", ErrorInOpenHandler, args],
        ["/error_in_async_open", ErrorInAsyncOpenHandler, args],
        ["/nodelay", NoDelayHandler, args],
        ["/ping", PingHandler, args],
      ],
      {},
    );
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.ws.terminate();
    await t.stop();
  });

  it("answers a plain GET with 400", async () => {
    const response = await t.server.fetch("/echo");
    expect(response.code).toBe(400);
    expect(response.text).toBe('Can "Upgrade" only to "WebSocket".');
  });

  it("answers a handshake without a key with 400", async () => {
    const raw = await rawExchange(t.port, handshakeRequest("/echo", { Upgrade: "WebSocket" }, ["Sec-WebSocket-Key"]));
    expect(raw.toString("latin1")).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*\r\n\r\nMissing\/Invalid WebSocket headers$/);
  });

  it("answers version 12 with 426 and the versions it speaks", async () => {
    const raw = await rawExchange(t.port, handshakeRequest("/echo", { "Sec-WebSocket-Version": "12" }));
    const text = raw.toString("latin1");
    expect(text.startsWith("HTTP/1.1 426 Upgrade Required\r\n")).toBe(true);
    expect(text).toMatch(/\r\nSec-WebSocket-Version: 7, 8, 13\r\n/i);
  });

  it("answers Connection without upgrade with 400", async () => {
    const raw = await rawExchange(t.port, handshakeRequest("/echo", { Connection: "keep-alive" }));
    expect(raw.toString("latin1")).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*"Connection" must be "Upgrade"\.$/);
  });

  it("echoes text, and the server sees the client's close", async () => {
    const ws = await connect("/echo");
    await ws.writeMessage("hello");
    expect(await ws.readMessage()).toBe("hello");
    ws.close();
    expect(await closeFuture.promise).toEqual([null, null]);
  });

  it("connects through @tornado/testing's HTTPTestServer.websocketConnect", async () => {
    const ws = await t.server.websocketConnect<WebSocketClientConnection>("/echo");
    clients.push(ws);
    await ws.writeMessage("via testing");
    expect(await ws.readMessage()).toBe("via testing");
  });

  it("echoes binary and non-ASCII text unchanged", async () => {
    const ws = await connect("/echo");
    await ws.writeMessage(Buffer.from("hello \u00e9", "utf8"), true);
    expect(await ws.readMessage()).toEqual(Buffer.from("hello \u00e9", "utf8"));
    await ws.writeMessage("hello \u00e9");
    expect(await ws.readMessage()).toBe("hello \u00e9");
  });

  it("sends a plain object as JSON", async () => {
    const ws = await connect("/echo");
    await ws.writeMessage({ a: 1, b: "</script>" });
    expect(await ws.readMessage()).toBe('{"a":1,"b":"<\\/script>"}');
  });

  it("throws WebSocketClosedError at the call for a write after close (test_error_in_closed_client_write_message)", async () => {
    const ws = await connect("/echo");
    ws.close();
    expect(() => ws.writeMessage("hello \u00e9")).toThrow(WebSocketClosedError);
  });

  it("renders templates in the handler", async () => {
    const ws = await connect("/render");
    await ws.writeMessage("hello");
    expect(await ws.readMessage()).toBe("<b>hello</b>");
  });

  it("logs an exception in onMessage and aborts the connection", async () => {
    await ExpectLog.run(appLog, /Uncaught exception/, async () => {
      const ws = await connect("/error_in_on_message");
      await ws.writeMessage("hello");
      expect(await ws.readMessage()).toBeNull();
    });
  });

  it("rejects a 404 route with HTTPClientError(404)", async () => {
    const error = await websocketConnect(t.wsUrl("/notfound")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPClientError);
    expect((error as HTTPClientError).code).toBe(404);
  });

  it("rejects a non-websocket 200 with WebSocketError", async () => {
    const error = await websocketConnect(t.wsUrl("/non_ws")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebSocketError);
    expect((error as Error).message).toBe("Non-websocket response");
  });

  it("does not follow redirects (HTTPClientError 302)", async () => {
    const error = await websocketConnect(t.wsUrl("/redirect")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPClientError);
    expect((error as HTTPClientError).code).toBe(302);
  });

  it("rejects a closed port with a network error", async () => {
    const { server, port } = await bindUnusedPort();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await websocketConnect(`ws://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPStreamClosedError);
    expect((error as HTTPStreamClosedError).code).toBe(599);
  });

  it("times out a handshake that gets no answer (connectTimeout)", async () => {
    const { server } = await bindUnusedPort();
    const sockets: import("node:net").Socket[] = [];
    server.on("connection", (socket) => sockets.push(socket));
    const port = (server.address() as import("node:net").AddressInfo).port;
    const error = await websocketConnect(`ws://127.0.0.1:${port}/`, { connectTimeout: 0.2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPTimeoutError);
    expect((error as HTTPTimeoutError).message).toBe("HTTP 599: Timeout while connecting");
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("pushes messages, then null, to onMessageCallback", async () => {
    const seen: (string | Buffer | null)[] = [];
    const ws = await connect("/echo", { onMessageCallback: (message) => void seen.push(message) });
    await ws.writeMessage("one");
    await ws.writeMessage("two");
    await waitFor(() => seen.length === 2);
    ws.close();
    await waitFor(() => seen.length === 3);
    expect(seen).toEqual(["one", "two", null]);
  });

  it("survives the client closing the TCP stream after writing", async () => {
    const ws = await connect("/echo");
    void ws.writeMessage("hello");
    void ws.writeMessage("world");
    ws.ws.terminate();
    await closeFuture.promise;
    // The server still works.
    const other = await connect("/echo");
    await other.writeMessage("again");
    expect(await other.readMessage()).toBe("again");
  });

  it("passes request headers to the handler, and HTTP output throws after the upgrade", async () => {
    const ws = await websocketConnect(new HTTPRequest(t.httpUrl("/header"), { headers: { "X-Test": "hello" } }));
    clients.push(ws);
    expect(await ws.readMessage()).toBe("hello");
  });

  it("sends headers and cookies from setDefaultHeaders and prepare in the 101", async () => {
    const ws = await websocketConnect(new HTTPRequest(t.httpUrl("/header_echo"), { headers: { "X-Test-Hello": "hello" } }));
    clients.push(ws);
    expect(ws.headers.get("X-Test-Hello")).toBe("hello");
    expect(ws.headers.get("X-Extra-Response-Header")).toBe("Extra-Response-Value");
    expect(ws.headers.get("Content-Type")).toBeUndefined();
    // Cookies set before the upgrade go out in the 101, as Tornado sends them.
    expect(ws.headers.getList("Set-Cookie")).toEqual(["session=abc; HttpOnly; Path=/"]);
  });

  it("server close(1001, 'goodbye'): the client sees code and reason, the server the echoed code", async () => {
    const ws = await connect("/close_reason");
    expect(await ws.readMessage()).toBeNull();
    expect(ws.closeCode).toBe(1001);
    expect(ws.closeReason).toBe("goodbye");
    const [code] = await closeFuture.promise;
    expect(code).toBe(1001);
  });

  it("client close(1001, 'goodbye'): the server sees code and reason", async () => {
    const ws = await connect("/echo");
    ws.close(1001, "goodbye");
    expect(await closeFuture.promise).toEqual([1001, "goodbye"]);
  });

  it("throws at the call for a write after the server closed (test_write_after_close)", async () => {
    const ws = await connect("/close_reason");
    expect(await ws.readMessage()).toBeNull();
    expect(() => ws.writeMessage("hello")).toThrow(WebSocketClosedError);
  });

  it("the handler's writeMessage throws at the call once closing and once closed", async () => {
    writesAfterClose.length = 0;
    const ws = await connect("/write_after_close");
    expect(await ws.readMessage()).toBeNull();
    await closeFuture.promise;
    expect(writesAfterClose).toEqual(["closing: WebSocketClosedError", "closed: WebSocketClosedError"]);
  });

  it("readMessage() resolves null on every call once closed, for waiting and later reads", async () => {
    const ws = await connect("/close_reason");
    const waiting = [ws.readMessage(), ws.readMessage()];
    expect(await Promise.all(waiting)).toEqual([null, null]);
    expect(await ws.readMessage()).toBeNull();
    expect(await ws.readMessage()).toBeNull();
  });

  it("runs an async prepare before the upgrade", async () => {
    const ws = await connect("/async_prepare");
    await ws.writeMessage("hello");
    expect(await ws.readMessage()).toBe("hello");
  });

  it("passes path arguments to open", async () => {
    const ws = await connect("/path_args/hello");
    expect(await ws.readMessage()).toBe("hello");
  });

  it("processes async onMessage one message at a time, in order", async () => {
    const ws = await connect("/coroutine");
    await ws.writeMessage("hello1");
    await ws.writeMessage("hello2");
    expect(await ws.readMessage()).toBe("hello1");
    expect(await ws.readMessage()).toBe("hello2");
  });

  it.each([
    ["http://127.0.0.1:PORT", true],
    ["http://127.0.0.1:PORT/something", true],
    ["127.0.0.1:PORT", false],
    ["http://somewhereelse.com", false],
  ])("checks Origin %s (accepted: %s)", async (origin, accepted) => {
    const headers = { Origin: origin.replace("PORT", String(t.port)) };
    const result = await websocketConnect(new HTTPRequest(t.httpUrl("/echo"), { headers })).then(
      (ws) => {
        clients.push(ws);
        return 101;
      },
      (error: HTTPClientError) => error.code,
    );
    expect(result).toBe(accepted ? 101 : 403);
  });

  it("refuses a subdomain Origin by default", async () => {
    const request = new HTTPRequest(`http://localhost:${t.port}/echo`, { headers: { Origin: "http://subtenant.localhost" } });
    const error = await websocketConnect(request).catch((e: unknown) => e);
    expect((error as HTTPClientError).code).toBe(403);
  });

  it("selects a subprotocol once, before open", async () => {
    const ws = await connect("/subprotocol", { subprotocols: ["badproto", "goodproto"] });
    expect(ws.selectedSubprotocol).toBe("goodproto");
    expect(await ws.readMessage()).toBe("subprotocol=goodproto");
  });

  it("selects no subprotocol when none is offered", async () => {
    const ws = await connect("/subprotocol");
    expect(ws.selectedSubprotocol).toBeNull();
    expect(await ws.readMessage()).toBe("subprotocol=None");
  });

  it("delivers messages only after an async open finished", async () => {
    const ws = await connect("/open_coroutine");
    await ws.writeMessage("hello");
    expect(await ws.readMessage()).toBe("ok");
  });

  it.each(["/error_in_open", "/error_in_async_open"])("logs an exception in open (%s) and aborts", async (path) => {
    await ExpectLog.run(appLog, /Uncaught exception/, async () => {
      const ws = await connect(path);
      expect(await ws.readMessage()).toBeNull();
    });
  });

  it("setNodelay in open, then writes", async () => {
    const ws = await connect("/nodelay");
    expect(await ws.readMessage()).toBe("hello");
  });

  it("manual pings: too long is refused; onPing sees bytes", async () => {
    const ws = await connect("/ping");
    expect(() => ws.ping("a".repeat(126))).toThrow(WebSocketValueError);
    ws.ping("hello");
    expect(await ws.readMessage()).toEqual(Buffer.from("hello"));
    ws.ping(Buffer.from("binary hello"));
    expect(await ws.readMessage()).toEqual(Buffer.from("binary hello"));
  });
});

describe("pings on an interval", () => {
  let t: TestApp;
  afterEach(() => t.stop());

  it("server pings: onPong runs for each pong (WebSocketServerPingTest)", async () => {
    t = await startApp([["/", PongHandler]], { websocketPingInterval: 0.01, websocketPingTimeout: 0 });
    const ws = await websocketConnect(t.wsUrl("/"));
    for (let i = 0; i < 3; i++) expect(await ws.readMessage()).toBe("got pong");
    ws.ws.terminate();
  });

  it("client pings: the server's onPing runs (WebSocketClientPingTest)", async () => {
    t = await startApp([["/", GotPingHandler]]);
    const ws = await websocketConnect(t.wsUrl("/"), { pingInterval: 0.01, pingTimeout: 0 });
    for (let i = 0; i < 3; i++) expect(await ws.readMessage()).toBe("got ping");
    ws.ws.terminate();
  });

  it("a ping without a pong closes with 1000 'ping timed out' (PingTimeoutTest)", async () => {
    const closeFuture: CloseFuture = deferred();
    t = await startApp([["/", TestWebSocketHandler, { closeFuture }]]);
    const ws = await websocketConnect(t.wsUrl("/"), { pingInterval: 0.2, pingTimeout: 0.05 });
    let pongs = 0;
    ws.onPong = () => pongs++;
    // Both ends stay open while pongs come back (Tornado: >= 4 over 5 intervals).
    await waitFor(() => pongs >= 4);
    expect(ws.closeCode).toBeNull();
    // Drop the server's pongs from now on: the client's ping times out.
    ws.ws.removeAllListeners("pong");
    expect(await closeFuture.promise).toEqual([1000, "ping timed out"]);
    expect(await ws.readMessage()).toBeNull();
    expect(ws.closeCode).toBe(1000);
  });
});

describe("message size limits (MaxMessageSizeTest)", () => {
  let t: TestApp;
  afterEach(() => t.stop());

  it("echoes a message at the limit and closes with 1009 past it", async () => {
    t = await startApp([["/", EchoHandler]], { websocketMaxMessageSize: 1024 });
    const ws = await websocketConnect(t.wsUrl("/"));
    await ws.writeMessage("a".repeat(1024));
    expect(await ws.readMessage()).toBe("a".repeat(1024));
    await ws.writeMessage("a".repeat(1024) + "b");
    expect(await ws.readMessage()).toBeNull();
    expect(ws.closeCode).toBe(1009);
  });
});
