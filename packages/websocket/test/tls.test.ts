/**
 * wss://: the hand-off works on a TLS socket (HTTPServer with sslOptions), for our client (an
 * HTTPRequest with validateCert false, or the CA given to `ws`) and the `ws` client.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import WebSocket from "ws";
import { HTTPRequest } from "@tornado/httpclient";
import { HTTPTestServer } from "@tornado/testing";
import { Application } from "@tornado/web";
import { WebSocketHandler, websocketConnect } from "@tornado/websocket";
import { LogCapture } from "./support";

const FIXTURES = join(__dirname, "fixtures");
const sslOptions = { key: readFileSync(join(FIXTURES, "test-key.pem")), cert: readFileSync(join(FIXTURES, "test-cert.pem")) };

class EchoHandler extends WebSocketHandler {
  override onMessage(message: string | Buffer) {
    return this.writeMessage(`${this.request.protocol}: ${String(message)}`);
  }
}

const logs = new LogCapture();
let server: HTTPTestServer;
beforeAll(async () => {
  logs.start();
  server = await HTTPTestServer.start(new Application([["/echo", EchoHandler]]), { sslOptions });
});
afterAll(async () => {
  await server.stop();
  logs.stop();
});

describe("wss://", () => {
  it("our client (HTTPRequest with validateCert: false)", async () => {
    expect(server.wsUrl("/echo")).toMatch(/^wss:\/\//);
    const client = await websocketConnect(new HTTPRequest(server.url("/echo"), { validateCert: false }));
    await client.writeMessage("secret");
    expect(await client.readMessage()).toBe("https: secret");
    client.close();
    await client.whenClosed();
  });

  it("the ws client, trusting the certificate", async () => {
    const ws = new WebSocket(server.wsUrl("/echo"), { ca: sslOptions.cert });
    ws.on("error", () => {});
    await new Promise((resolve) => ws.once("open", resolve));
    const reply = new Promise<string>((resolve) => ws.once("message", (data: Buffer) => resolve(data.toString())));
    ws.send("hi");
    expect(await reply).toBe("https: hi");
    const closed = new Promise((resolve) => ws.once("close", resolve));
    ws.close();
    await closed;
  });
});
