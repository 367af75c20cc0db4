/**
 * WebSockets on a server that also speaks HTTP/2 (`http2: true`): the HTTP/1.1 handshake works
 * as before, on the same port (ws:// beside h2c, wss:// beside h2 by ALPN); a WebSocket request
 * made over HTTP/2 is answered 505 with the reason; shutdown closes both kinds.
 */

import { readFileSync } from "node:fs";
import * as http2 from "node:http2";
import { join } from "node:path";
import { HTTPRequest } from "@tornado/httpclient";
import { HTTPTestServer } from "@tornado/testing";
import { Application, RequestHandler } from "@tornado/web";
import { WebSocketHandler, websocketConnect } from "@tornado/websocket";
import { LogCapture } from "./support";

const FIXTURES = join(__dirname, "fixtures");
const sslOptions = { key: readFileSync(join(FIXTURES, "test-key.pem")), cert: readFileSync(join(FIXTURES, "test-cert.pem")) };

class EchoHandler extends WebSocketHandler {
  override onMessage(message: string | Buffer) {
    return this.writeMessage(`${this.request.version}: ${String(message)}`);
  }
}

class PageHandler extends RequestHandler {
  override get() {
    this.write(`page over ${this.request.version}`);
  }
}

function h2Get(port: number, tls: boolean, path: string, headers: http2.OutgoingHttpHeaders = {}): Promise<{ status: number; body: string }> {
  const session = tls ? http2.connect(`https://127.0.0.1:${port}`, { rejectUnauthorized: false }) : http2.connect(`http://127.0.0.1:${port}`);
  return new Promise((resolve, reject) => {
    session.on("error", reject);
    const stream = session.request({ ":path": path, ...headers });
    let status = 0;
    let body = "";
    stream.on("response", (head) => (status = Number(head[":status"])));
    stream.on("data", (chunk: Buffer) => (body += chunk.toString()));
    stream.on("error", reject);
    stream.on("end", () => session.close(() => resolve({ status, body })));
  });
}

const WEBSOCKET_HEADERS = { "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==", "sec-websocket-version": "13" };
const logs = new LogCapture();
beforeAll(() => logs.start());
afterAll(() => logs.stop());

describe.each([
  ["cleartext (ws:// beside h2c)", false],
  ["TLS (wss:// beside h2 by ALPN)", true],
] as const)("%s", (_name, tls) => {
  let server: HTTPTestServer;
  beforeAll(async () => {
    const app = new Application([
      ["/echo", EchoHandler],
      ["/page", PageHandler],
    ]);
    server = await HTTPTestServer.start(app, { httpServerOptions: { http2: true }, ...(tls ? { sslOptions } : {}) });
  });
  afterAll(() => server.stop());

  it("keeps HTTP/1.1 WebSockets working on the port that serves HTTP/2", async () => {
    const client = await websocketConnect(new HTTPRequest(server.url("/echo"), { validateCert: false }));
    await client.writeMessage("hello");
    expect(await client.readMessage()).toBe("HTTP/1.1: hello");
    expect(await h2Get(server.port, tls, "/page")).toEqual({ status: 200, body: "page over HTTP/2.0" });
    client.close();
    await client.whenClosed();
  });

  it("answers a WebSocket request made over HTTP/2 with 505 and the reason", async () => {
    const response = await h2Get(server.port, tls, "/echo", WEBSOCKET_HEADERS);
    expect(response).toEqual({ status: 505, body: "WebSocket needs HTTP/1.1: WebSocket over HTTP/2 (RFC 8441) is not supported" });
  });

  it("closes open WebSockets (1001) and HTTP/2 sessions on shutdown", async () => {
    const app = new Application([["/echo", EchoHandler]]);
    const own = await HTTPTestServer.start(app, { httpServerOptions: { http2: true }, ...(tls ? { sslOptions } : {}) });
    const client = await websocketConnect(new HTTPRequest(own.url("/echo"), { validateCert: false }));
    const session = tls ? http2.connect(`https://127.0.0.1:${own.port}`, { rejectUnauthorized: false }) : http2.connect(`http://127.0.0.1:${own.port}`);
    await new Promise((resolve) => session.once("connect", resolve));
    const sessionClosed = new Promise((resolve) => session.once("close", resolve));
    await own.stop();
    await client.whenClosed();
    expect(client.closeCode).toBe(1001);
    await sessionClosed;
    expect(own.httpServer.http2Connections.size).toBe(0);
  });
});
