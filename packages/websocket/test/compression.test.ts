/**
 * permessage-deflate, ported from websocket_test.py's compression tests (reference 3.5
 * items 24-26): negotiated only when both sides ask, the wire sizes, and the size limit
 * applied after decompression.
 */

import type * as net from "node:net";
import { WebSocketHandler, websocketConnect, type CompressionOptions, type WebSocketClientConnection } from "@tornado/websocket";
import { LogCapture, startApp, type TestApp } from "./support";

const MESSAGE = "Hello world. Testing 123 123";

class EchoHandler extends WebSocketHandler {
  static compression: CompressionOptions | null = null;
  override getCompressionOptions() {
    return (this.constructor as typeof EchoHandler).compression;
  }
  override onMessage(message: string | Buffer) {
    return this.writeMessage(message, Buffer.isBuffer(message));
  }
}
class CompressedEchoHandler extends EchoHandler {
  static override compression: CompressionOptions | null = {};
}

class LengthHandler extends WebSocketHandler {
  override get maxMessageSize() {
    return 1024;
  }
  override getCompressionOptions() {
    return {};
  }
  override onMessage(message: string | Buffer) {
    return this.writeMessage(String(message.length));
  }
}

function socketOf(client: WebSocketClientConnection): net.Socket {
  return (client.ws as unknown as { _socket: net.Socket })._socket;
}

const logs = new LogCapture();
let t: TestApp;
beforeAll(async () => {
  logs.start();
  t = await startApp([
    ["/plain", EchoHandler],
    ["/compressed", CompressedEchoHandler],
    ["/limit", LengthHandler],
  ]);
});
afterAll(async () => {
  await t.stop();
  logs.stop();
});

async function exchange(path: string, clientCompression: CompressionOptions | null): Promise<{ out: number; in: number; negotiated: boolean }> {
  const client = await websocketConnect(t.wsUrl(path), { compressionOptions: clientCompression });
  const socket = socketOf(client);
  const startOut = socket.bytesWritten;
  const startIn = socket.bytesRead;
  for (let i = 0; i < 3; i++) {
    await client.writeMessage(MESSAGE);
    expect(await client.readMessage()).toBe(MESSAGE);
  }
  const result = {
    out: socket.bytesWritten - startOut,
    in: socket.bytesRead - startIn,
    negotiated: (client.headers.get("Sec-WebSocket-Extensions") ?? "").includes("permessage-deflate"),
  };
  client.close();
  await client.whenClosed();
  return result;
}

describe("compression (CompressionTest*)", () => {
  it.each([
    ["neither side", "/plain", null],
    ["server only", "/compressed", null],
    ["client only", "/plain", {}],
  ] as const)("%s: not negotiated, 3x(28+6) out and 3x(28+2) in", async (_name, path, clientCompression) => {
    expect(await exchange(path, clientCompression)).toEqual({ out: 102, in: 90, negotiated: false });
  });

  it("both sides: compressed, and out = in + 12 (the masks)", async () => {
    const result = await exchange("/compressed", {});
    expect(result.negotiated).toBe(true);
    expect(result.out).toBeLessThan(102);
    expect(result.in).toBeLessThan(90);
    expect(result.out).toBe(result.in + 12);
  });

  it("the size limit applies after decompression (1009)", async () => {
    const client = await websocketConnect(t.wsUrl("/limit"), { compressionOptions: {} });
    await client.writeMessage("a".repeat(128));
    expect(await client.readMessage()).toBe("128");
    await client.writeMessage("a".repeat(2048));
    expect(await client.readMessage()).toBeNull();
    expect(client.closeCode).toBe(1009);
  });

  it("validates compression options", async () => {
    await expect(async () => websocketConnect(t.wsUrl("/plain"), { compressionOptions: { compressionLevel: 12 } })).rejects.toThrow(
      "compressionLevel must be an integer from 0 to 9, got 12",
    );
  });
});
