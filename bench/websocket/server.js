// bench/websocket server: an echo endpoint (/echo) and a broadcast endpoint (/bcast) on
// @tornado/websocket (WebSocketHandler on our HTTPServer) or on raw `ws` (WebSocketServer on
// node:http). Forked by run.js; sends {port} when listening and answers {rss} requests.
// Usage: node --expose-gc server.js <tornado|ws>
"use strict";
const net = require("node:net");

const impl = process.argv[2];
const clients = new Set();

function broadcast(count, payload, send) {
  for (let i = 0; i < count; i++) for (const client of clients) send(client, payload);
}

function tornado() {
  const { Application } = require("@tornado/web");
  const { WebSocketHandler } = require("@tornado/websocket");
  const { HTTPServer } = require("@tornado/httpserver");
  const { accessLog, LogLevel } = require("@tornado/ioloop");
  accessLog.level = LogLevel.WARNING;
  class EchoHandler extends WebSocketHandler {
    onMessage(message) {
      this.writeMessage(message, typeof message !== "string");
    }
  }
  class BroadcastHandler extends WebSocketHandler {
    open() {
      clients.add(this);
    }
    onClose() {
      clients.delete(this);
    }
    onMessage(message) {
      const [, count, size] = String(message).split(" ");
      const payload = Buffer.alloc(Number(size), 0x61);
      broadcast(Number(count), payload, (client, data) => client.writeMessage(data));
    }
  }
  const server = new HTTPServer(new Application([["/echo", EchoHandler], ["/bcast", BroadcastHandler]]), { idleConnectionTimeout: 3600 });
  const listener = net.createServer();
  listener.listen({ port: 0, host: "127.0.0.1", backlog: 4096 }, () => {
    server.addSockets([listener]);
    process.send({ port: listener.address().port });
  });
}

function raw() {
  const http = require("node:http");
  const { WebSocketServer } = require("ws");
  const server = http.createServer((request, response) => response.end("not a websocket"));
  const wss = new WebSocketServer({ noServer: true, clientTracking: false });
  server.on("upgrade", (request, socket, head) => {
    wss.handleUpgrade(request, socket, head, (ws) => {
      ws.on("error", () => {});
      if (request.url === "/echo") {
        ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }));
      } else {
        clients.add(ws);
        ws.on("close", () => clients.delete(ws));
        ws.on("message", (data) => {
          const [, count, size] = String(data).split(" ");
          const payload = Buffer.alloc(Number(size), 0x61);
          broadcast(Number(count), payload, (client, bytes) => client.send(bytes, { binary: false }));
        });
      }
    });
  });
  server.listen({ port: 0, host: "127.0.0.1", backlog: 4096 }, () => process.send({ port: server.address().port }));
}

process.on("message", (message) => {
  if (message === "snap") {
    global.gc && global.gc();
    process.send({ snap: require("node:v8").writeHeapSnapshot(`/tmp/ws-${impl}.heapsnapshot`) });
  }
  if (message === "rss") {
    if (global.gc) {
      global.gc();
      global.gc();
    }
    setTimeout(() => { const m = process.memoryUsage(); process.send({ rss: m.rss, heap: m.heapUsed, ext: m.external + m.arrayBuffers, clients: clients.size }); }, 200);
  }
});

if (impl === "tornado") tornado();
else if (impl === "ws") raw();
else {
  console.error("usage: node server.js <tornado|ws>");
  process.exit(2);
}
