/**
 * Interoperability with independent peers: the `ws` client, Python's websockets (Debian
 * python3-websockets) and Python Tornado's websocket_connect against our server, and our
 * client against a Python Tornado server. The Python cases skip, visibly, without them.
 */

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import WebSocket from "ws";
import { WebSocketHandler, websocketConnect } from "@tornado/websocket";
import { LogCapture, startApp, waitFor, type TestApp } from "./support";

const PYTHON = "/usr/bin/python3";

function pythonHas(module: string): boolean {
  return spawnSync(PYTHON, ["-c", `import ${module}`], { stdio: "ignore" }).status === 0;
}
const hasWebsockets = pythonHas("websockets");
const hasTornado = pythonHas("tornado.websocket");
if (!hasWebsockets) console.warn("interop with Python websockets skipped: python3-websockets is not installed");
if (!hasTornado) console.warn("interop with Python Tornado skipped: python3-tornado is not installed");

class EchoHandler extends WebSocketHandler {
  static closes: [number | null, string | null][] = [];
  override getCompressionOptions() {
    return {};
  }
  override selectSubprotocol(subprotocols: string[]) {
    return subprotocols.includes("chat") ? "chat" : null;
  }
  override onMessage(message: string | Buffer) {
    return this.writeMessage(message, Buffer.isBuffer(message)).catch(() => {});
  }
  override onClose() {
    EchoHandler.closes.push([this.closeCode, this.closeReason]);
  }
}

function runPython(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, ["-c", script, ...args]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const logs = new LogCapture();
let t: TestApp;
beforeAll(async () => {
  logs.start();
  t = await startApp([["/echo", EchoHandler]]);
});
afterAll(async () => {
  await t.stop();
  logs.stop();
});
beforeEach(() => {
  EchoHandler.closes = [];
});

describe("the ws client against our server", () => {
  it("echoes text and binary with compression and a subprotocol, then closes 1000", async () => {
    const ws = new WebSocket(t.wsUrl("/echo"), ["chat"], { perMessageDeflate: true });
    ws.on("error", () => {});
    await new Promise((resolve) => ws.once("open", resolve));
    expect(ws.protocol).toBe("chat");
    expect(ws.extensions).toContain("permessage-deflate");
    const received: unknown[] = [];
    ws.on("message", (data: Buffer, isBinary: boolean) => received.push(isBinary ? data : data.toString()));
    ws.send("héllo");
    ws.send(Buffer.from([0, 1, 2, 255]));
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (received.length === 2) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    expect(received).toEqual(["héllo", Buffer.from([0, 1, 2, 255])]);
    const closed = new Promise<number>((resolve) => ws.once("close", (code: number) => resolve(code)));
    ws.close(1000, "done");
    expect(await closed).toBe(1000);
    await waitFor(() => EchoHandler.closes.length > 0);
    expect(EchoHandler.closes).toEqual([[1000, "done"]]);
  });
});

(hasWebsockets ? describe : describe.skip)("Python websockets (python3-websockets) against our server", () => {
  it("echoes text, 1 MiB binary and a fragmented message, pings, closes 1000", async () => {
    const script = `
import asyncio, os, sys, websockets
async def main():
    async with websockets.connect(sys.argv[1], compression="deflate", subprotocols=["chat"], max_size=None) as ws:
        assert ws.subprotocol == "chat", ws.subprotocol
        await ws.send("héllo"); assert await ws.recv() == "héllo"
        big = os.urandom(1 << 20); await ws.send(big); assert await ws.recv() == big
        async def parts():
            for p in ("a", "b", "c"):
                yield p
        await ws.send(parts()); assert await ws.recv() == "abc"
        await asyncio.wait_for(await ws.ping(b"x"), 5)
    print("close", ws.close_code)
asyncio.run(main())
`;
    const result = await runPython(script, [t.wsUrl("/echo")]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
    expect(result.stdout.trim()).toBe("close 1000");
  }, 30000);
});

(hasTornado ? describe : describe.skip)("Python Tornado against us, and us against Python Tornado", () => {
  it("Tornado's websocket_connect against our server: echo, then close(1001, 'goodbye')", async () => {
    const script = `
import sys
from tornado.ioloop import IOLoop
from tornado.websocket import websocket_connect
async def main():
    ws = await websocket_connect(sys.argv[1], compression_options={})
    await ws.write_message("hello")
    print(await ws.read_message())
    await ws.write_message(b"\\x00\\xff", binary=True)
    print(repr(await ws.read_message()))
    ws.close(1001, "goodbye")
    print(await ws.read_message())
IOLoop.current().run_sync(main, timeout=10)
`;
    const result = await runPython(script, [t.wsUrl("/echo")]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
    expect(result.stdout.split("\n")).toEqual(["hello", "b'\\x00\\xff'", "None", ""]);
    await waitFor(() => EchoHandler.closes.length > 0);
    expect(EchoHandler.closes).toEqual([[1001, "goodbye"]]);
  }, 30000);

  describe("our client against a Python Tornado server", () => {
    let child: ChildProcess;
    let port = 0;
    beforeAll(async () => {
      const script = `
import sys
from tornado.ioloop import IOLoop
from tornado.web import Application
from tornado.websocket import WebSocketHandler
from tornado.testing import bind_unused_port
class Echo(WebSocketHandler):
    def get_compression_options(self):
        return {}
    def select_subprotocol(self, subprotocols):
        return "chat" if "chat" in subprotocols else None
    def open(self):
        self.set_nodelay(True)
    def on_message(self, message):
        if message == "close me":
            self.close(4000, "as asked")
        else:
            self.write_message(message, binary=isinstance(message, bytes))
sock, port = bind_unused_port()
app = Application([("/echo", Echo)])
from tornado.httpserver import HTTPServer
server = HTTPServer(app)
server.add_sockets([sock])
print(port, flush=True)
IOLoop.current().start()
`;
      child = spawn(PYTHON, ["-c", script], { stdio: ["ignore", "pipe", "pipe"] });
      port = await new Promise<number>((resolve, reject) => {
        child.stdout!.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
        child.once("exit", (code) => reject(new Error(`python exited ${code}`)));
      });
    }, 20000);
    afterAll(() => {
      child.kill();
    });

    it("echoes text and binary with compression and a subprotocol; sees the server's close code", async () => {
      const client = await websocketConnect(`ws://127.0.0.1:${port}/echo`, { compressionOptions: {}, subprotocols: ["chat"] });
      expect(client.selectedSubprotocol).toBe("chat");
      expect(client.headers.get("Sec-WebSocket-Extensions")).toContain("permessage-deflate");
      await client.writeMessage("héllo");
      expect(await client.readMessage()).toBe("héllo");
      await client.writeMessage(Buffer.from([1, 2, 3]), true);
      expect(await client.readMessage()).toEqual(Buffer.from([1, 2, 3]));
      client.ping("p");
      await client.writeMessage("close me");
      expect(await client.readMessage()).toBeNull();
      expect([client.closeCode, client.closeReason]).toEqual([4000, "as asked"]);
    });
  });
});
