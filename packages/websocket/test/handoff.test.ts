/**
 * The HTTP -> WebSocket hand-off and the connection lifecycle: bytes that arrive with the
 * upgrade request, an upgrade after a keep-alive request on the same socket, timers stopped,
 * bad frames and abrupt disconnects closing only their own connection (onClose once), nothing
 * left open, and HTTPServer.closeAllConnections() closing WebSockets with 1001.
 */

import * as net from "node:net";
import { HTTPServer } from "@tornado/httpserver";
import { bindUnusedPort, OpenHandleTracker } from "@tornado/testing";
import { Application, RequestHandler } from "@tornado/web";
import { closeAllWebSockets, computeAcceptValue, WebSocketHandler, websocketConnect } from "@tornado/websocket";
import { handshakeRequest, LogCapture, startApp, waitFor, type TestApp } from "./support";

let closes: { path: string; code: number | null; reason: string | null }[] = [];

class EchoHandler extends WebSocketHandler {
  override onMessage(message: string | Buffer) {
    return this.writeMessage(message, Buffer.isBuffer(message)).catch(() => {});
  }
  override onClose() {
    closes.push({ path: this.request.path, code: this.closeCode, reason: this.closeReason });
  }
}

class SlowPrepareEchoHandler extends EchoHandler {
  override async prepare(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

class SlowCloseHandler extends EchoHandler {
  override async onClose(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 30));
    super.onClose();
  }
}

class FloodHandler extends WebSocketHandler {
  static resolved = 0;
  override async onMessage(message: string | Buffer) {
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    for (let i = 0; i < Number(message); i++) {
      await this.writeMessage(chunk, true);
      FloodHandler.resolved++;
    }
  }
}

class PlainHandler extends RequestHandler {
  override get() {
    this.write("plain");
  }
}

function maskedFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const mask = Buffer.from([1, 2, 3, 4]);
  const header = Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | payload.length]);
  const body = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([header, mask, body]);
}

/** Reads from a raw socket until `predicate(all bytes so far)` holds. */
function readUntil(socket: net.Socket, predicate: (data: Buffer) => boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let data = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      data = Buffer.concat([data, chunk]);
      if (predicate(data)) {
        socket.off("data", onData);
        socket.off("close", onClose);
        resolve(data);
      }
    };
    const onClose = (): void => reject(new Error(`closed after ${JSON.stringify(data.toString("latin1"))}`));
    socket.on("data", onData);
    socket.once("close", onClose);
  });
}

function connectRaw(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => resolve(socket));
    socket.once("error", reject);
  });
}

const logs = new LogCapture();
beforeAll(() => logs.start());
afterAll(() => logs.stop());
beforeEach(() => {
  closes = [];
});

describe("the hand-off", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp([
      ["/echo", EchoHandler],
      ["/slow", SlowPrepareEchoHandler],
      ["/plain", PlainHandler],
    ]);
  });
  afterEach(() => t.stop());

  it.each(["/echo", "/slow"])("passes a frame sent in the same packet as the handshake to ws (%s)", async (path) => {
    const socket = await connectRaw(t.port);
    socket.write(Buffer.concat([Buffer.from(handshakeRequest(path)), maskedFrame(1, Buffer.from("early"))]));
    const data = await readUntil(socket, (bytes) => bytes.includes("early"));
    const text = data.toString("latin1");
    expect(text.startsWith("HTTP/1.1 101 Switching Protocols\r\n")).toBe(true);
    expect(text).toContain(`Sec-WebSocket-Accept: ${computeAcceptValue("dGhlIHNhbXBsZSBub25jZQ==")}\r\n`);
    expect(text.endsWith("\x81\x05early")).toBe(true);
    socket.destroy();
  });

  it("upgrades after a keep-alive request on the same connection", async () => {
    const socket = await connectRaw(t.port);
    socket.write("GET /plain HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    await readUntil(socket, (bytes) => bytes.toString("latin1").endsWith("plain"));
    socket.write(Buffer.concat([Buffer.from(handshakeRequest("/echo")), maskedFrame(2, Buffer.from("after"))]));
    const data = await readUntil(socket, (bytes) => bytes.includes("after"));
    expect(data.toString("latin1")).toMatch(/^HTTP\/1\.1 101 /);
    socket.destroy();
  });

  it("writes the 101 with Server and Date, and no Content-Type", async () => {
    const socket = await connectRaw(t.port);
    socket.write(handshakeRequest("/echo"));
    const head = (await readUntil(socket, (bytes) => bytes.includes("\r\n\r\n"))).toString("latin1");
    expect(head).toMatch(/\r\nServer: TornadoServer\/[^\r]+\r\n/);
    expect(head).toMatch(/\r\nDate: [^\r]+ GMT\r\n/);
    expect(head).not.toMatch(/Content-Type/i);
    socket.destroy();
  });
});

describe("backpressure", () => {
  it("writeMessage waits while the peer does not read, and everything arrives once it does", async () => {
    const t = await startApp([["/flood", FloodHandler]]);
    try {
      FloodHandler.resolved = 0;
      const client = await websocketConnect(t.wsUrl("/flood"));
      await client.writeMessage("64");
      // The client holds one unread message and pauses its socket: the server's writes stall.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(FloodHandler.resolved).toBeLessThan(64);
      let received = 0;
      while (received < 64) {
        const message = await client.readMessage();
        expect(Buffer.isBuffer(message) && message.length).toBe(1024 * 1024);
        received++;
      }
      await waitFor(() => FloodHandler.resolved === 64);
      client.close();
      await client.whenClosed();
    } finally {
      await t.stop();
    }
  });
});

describe("timers stop at the upgrade", () => {
  it("an upgraded socket outlives idleConnectionTimeout", async () => {
    const app = new Application([["/echo", EchoHandler]]);
    const server = new HTTPServer(app, { idleConnectionTimeout: 0.1 });
    const { server: listener, port } = await bindUnusedPort();
    server.addSockets([listener]);
    try {
      const client = await websocketConnect(`ws://127.0.0.1:${port}/echo`);
      await new Promise((resolve) => setTimeout(resolve, 400));
      await client.writeMessage("still here");
      expect(await client.readMessage()).toBe("still here");
      client.close();
      await client.whenClosed();
    } finally {
      server.stop();
      await server.closeAllConnections();
    }
  });
});

describe("failures stay on their connection", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp([["/echo", EchoHandler]]);
  });
  afterEach(() => t.stop());

  it.each([
    ["an unmasked frame", Buffer.from([0x81, 0x02, 0x68, 0x69]), 1002],
    ["a reserved opcode", maskedFrame(3, Buffer.alloc(0)), 1002],
    ["invalid UTF-8", maskedFrame(1, Buffer.from([0xce, 0xba, 0xed, 0xa0, 0x80])), 1007],
  ])("%s closes that connection only, and onClose runs once", async (_name, frame, code) => {
    const good = await websocketConnect(t.wsUrl("/echo"));
    const socket = await connectRaw(t.port);
    socket.write(Buffer.concat([Buffer.from(handshakeRequest("/echo")), frame]));
    const data = await readUntil(socket, (bytes) => bytes.includes(Buffer.from([0x88])));
    const close = data.subarray(data.lastIndexOf(Buffer.from([0x88])));
    expect(close.readUInt16BE(2)).toBe(code);
    socket.destroy();
    await waitFor(() => closes.length > 0);
    expect(closes).toHaveLength(1);
    await good.writeMessage("fine");
    expect(await good.readMessage()).toBe("fine");
    good.close();
    await good.whenClosed();
  });

  it("an abrupt disconnect calls onClose once, with no code", async () => {
    const client = await websocketConnect(t.wsUrl("/echo"));
    client.ws.terminate();
    await waitFor(() => closes.length > 0);
    expect(closes).toEqual([{ path: "/echo", code: null, reason: null }]);
  });

  it("oversized messages close with 1009 (no reason: ws sends none)", async () => {
    await t.stop();
    t = await startApp([["/echo", EchoHandler]], { websocketMaxMessageSize: 16 });
    const client = await websocketConnect(t.wsUrl("/echo"));
    await client.writeMessage("x".repeat(17));
    expect(await client.readMessage()).toBeNull();
    expect(client.closeCode).toBe(1009);
    await waitFor(() => closes.length > 0);
    expect(closes).toHaveLength(1);
  });
});

describe("nothing is left open", () => {
  it("many connections, closed either way, leave no handles", async () => {
    const tracker = new OpenHandleTracker();
    const t = await startApp([["/echo", EchoHandler]]);
    for (let i = 0; i < 20; i++) {
      const client = await websocketConnect(t.wsUrl("/echo"));
      await client.writeMessage(`m${i}`);
      expect(await client.readMessage()).toBe(`m${i}`);
      if (i % 2 === 0) client.close();
      else client.ws.terminate();
      await client.whenClosed();
    }
    await t.stop();
    await waitFor(() => closes.length === 20);
    await tracker.check();
  });
});

describe("HTTPServer.closeAllConnections()", () => {
  async function serve(handler: typeof EchoHandler): Promise<{ server: HTTPServer; port: number }> {
    const server = new HTTPServer(new Application([["/echo", handler]]));
    const { server: listener, port } = await bindUnusedPort();
    server.addSockets([listener]);
    return { server, port };
  }

  it("closes open WebSockets with 1001 and waits for their onClose", async () => {
    const { server, port } = await serve(SlowCloseHandler);
    const clients = await Promise.all([0, 1, 2].map(() => websocketConnect(`ws://127.0.0.1:${port}/echo`)));
    server.stop();
    await server.closeAllConnections();
    expect(closes).toHaveLength(3);
    for (const client of clients) {
      expect(await client.readMessage()).toBeNull();
      expect(client.closeCode).toBe(1001);
    }
  });

  it("closes only the WebSockets of its own server", async () => {
    const first = await serve(EchoHandler);
    const second = await serve(EchoHandler);
    const a = await websocketConnect(`ws://127.0.0.1:${first.port}/echo`);
    const b = await websocketConnect(`ws://127.0.0.1:${second.port}/echo`);
    first.server.stop();
    await first.server.closeAllConnections();
    expect(await a.readMessage()).toBeNull();
    await b.writeMessage("still open");
    expect(await b.readMessage()).toBe("still open");
    second.server.stop();
    await closeAllWebSockets(second.server, 1000, "bye");
    expect(await b.readMessage()).toBeNull();
    expect([b.closeCode, b.closeReason]).toEqual([1000, "bye"]);
    await second.server.closeAllConnections();
  });
});
