// One server for the reliability suite, in its own process so that its CPU, RSS and file
// descriptors can be read from /proc and a fault cannot take the test runner down:
//   node lib/server.js <tornado|node|fastify> '<options as JSON>'
// Prints one JSON line {"port": N} once listening. Options: headersTimeout and bodyTimeout
// (seconds; 0 = the server's default), shutdownTimeout (seconds). Routes, on every kind:
//   GET /            "Hello, world"
//   GET|POST /echo   {"fields": n}: the number of query or urlencoded/multipart body fields
//   GET /slow        "done" after 500 ms
//   /ws              a WebSocket echo (tornado, node through ws; fastify has none here)
// and on tornado only: /json (getJsonBody), /static/ (a root with a symlink out of it),
// /cookie (a signed cookie), /faults/<kind> (handler faults).
// SIGTERM is the documented graceful stop of each kind (see shutdown()).
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const kind = process.argv[2];
const options = JSON.parse(process.argv[3] || "{}");
const BODY = "Hello, world";

function ready(port) {
  process.stdout.write(JSON.stringify({ port }) + "\n");
}

/** A static root holding one file and a symlink to a file outside it. */
function staticRoot() {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "reliability-static-"));
  const root = path.join(base, "root");
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, "inside.txt"), "inside");
  fs.writeFileSync(path.join(base, "secret.txt"), "secret");
  fs.symlinkSync(path.join(base, "secret.txt"), path.join(root, "escape.txt"));
  process.on("exit", () => fs.rmSync(base, { recursive: true, force: true }));
  return root;
}

async function tornado() {
  const { Application, RequestHandler } = require("@tornado/web");
  const { WebSocketHandler } = require("@tornado/websocket");
  const ioloop = require("@tornado/ioloop");
  // One line per record, "<level letter> <logger> <message>" (the stack indented below), so that
  // the suite can count ERROR records by logger whatever the default format is.
  ioloop.setLogHandler((record) => {
    const letter = { 10: "D", 20: "I", 30: "W", 40: "E", 50: "C" }[record.level] ?? "?";
    const stack = record.error instanceof Error ? `\n    ${String(record.error.stack).split("\n").join("\n    ")}` : "";
    process.stderr.write(`${letter} ${record.name} ${record.message}${stack}\n`);
  });
  class Hello extends RequestHandler {
    get() {
      this.write(BODY);
    }
  }
  class Echo extends RequestHandler {
    get() {
      // getArgument decodes each value as UTF-8: invalid bytes are a 400, as in Tornado.
      for (const name of Object.keys(this.request.arguments)) this.getArgument(name);
      this.write({ fields: Object.keys(this.request.arguments).length });
    }
    post() {
      let fields = 0;
      for (const values of Object.values(this.request.arguments)) fields += values.length;
      this.write({ fields });
    }
  }
  class Json extends RequestHandler {
    post() {
      let depth = 0;
      for (let value = this.getJsonBody(); Array.isArray(value); value = value[0]) depth++;
      this.write({ depth });
    }
  }
  class Slow extends RequestHandler {
    async get() {
      await new Promise((resolve) => setTimeout(resolve, 500));
      this.write("done");
    }
  }
  class Cookie extends RequestHandler {
    get() {
      const value = this.getSignedCookie("session");
      if (value === null) this.setStatus(403);
      this.write(value ?? "refused");
    }
  }
  class Faults extends RequestHandler {
    async get(fault) {
      if (fault === "throw") throw new Error("handler threw");
      if (fault === "reject") return Promise.reject(new Error("handler rejected"));
      if (fault === "never") {
        this._autoFinish = false;
        return undefined;
      }
      if (fault === "after-finish") {
        this.finish("finished");
        this.write("late");
      }
      if (fault === "after-finish-timer") {
        this.finish("finished");
        setTimeout(() => this.write("late"), 10);
      }
      return undefined;
    }
  }
  class Echoes extends WebSocketHandler {
    onMessage(message) {
      return this.writeMessage(message, typeof message !== "string");
    }
  }
  const app = new Application(
    [
      ["/", Hello],
      ["/echo", Echo],
      ["/json", Json],
      ["/slow", Slow],
      ["/cookie", Cookie],
      ["/faults/([a-z-]+)", Faults],
      ["/ws", Echoes],
    ],
    { staticPath: staticRoot(), cookieSecret: "reliability-secret", websocketMaxMessageSize: 65536 },
  );
  const serverOptions = { decompressRequest: true, idleConnectionTimeout: 3600 };
  if (options.headersTimeout) serverOptions.headersTimeout = options.headersTimeout;
  if (options.bodyTimeout) serverOptions.bodyTimeout = options.bodyTimeout;
  const server = await app.listen(0, "127.0.0.1", serverOptions);
  ready(server.boundPorts()[0]);
  return { ioloop, server };
}

function countFields(text) {
  return text === "" ? 0 : text.split("&").length;
}

async function node() {
  const http = require("node:http");
  const { WebSocketServer } = require("ws");
  const server = http.createServer((request, response) => {
    const url = new URL(request.url, "http://x");
    if (url.pathname === "/slow") {
      setTimeout(() => response.end("done"), 500);
      return;
    }
    if (url.pathname === "/echo") {
      const chunks = [];
      request.on("data", (chunk) => chunks.push(chunk));
      request.on("end", () => {
        const fields = request.method === "POST" ? countFields(Buffer.concat(chunks).toString("latin1")) : [...url.searchParams.keys()].length;
        response.setHeader("Content-Type", "application/json");
        response.end(JSON.stringify({ fields }));
      });
      return;
    }
    response.setHeader("Content-Type", "text/plain");
    response.end(BODY);
  });
  if (options.headersTimeout) {
    server.headersTimeout = options.headersTimeout * 1000;
    server.requestTimeout = (options.headersTimeout + (options.bodyTimeout || 0)) * 1000;
    // Node checks its timeouts every connectionsCheckingInterval (30 s by default).
    server.connectionsCheckingInterval = 250;
  }
  server.keepAliveTimeout = 3600 * 1000;
  const wss = new WebSocketServer({ server, path: "/ws", maxPayload: 65536 });
  wss.on("connection", (socket) => {
    // ws reports a protocol error (and closes with its code) through "error": a listener is
    // required, or the process ends.
    socket.on("error", () => undefined);
    socket.on("message", (data, binary) => socket.send(data, { binary }));
  });
  await new Promise((resolve) => server.listen({ port: 0, host: "127.0.0.1" }, resolve));
  ready(server.address().port);
  return { server, wss };
}

async function fastify() {
  const app = require("fastify")({
    logger: false,
    keepAliveTimeout: 3600 * 1000,
    ...(options.headersTimeout ? { requestTimeout: (options.headersTimeout + (options.bodyTimeout || 0)) * 1000 } : {}),
  });
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, body, done) => done(null, body));
  app.get("/", async () => BODY);
  app.get("/slow", async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    return "done";
  });
  app.get("/echo", async (request) => ({ fields: Object.keys(request.query).length }));
  app.post("/echo", async (request) => ({ fields: countFields(typeof request.body === "string" ? request.body : "") }));
  if (options.headersTimeout) {
    app.server.headersTimeout = options.headersTimeout * 1000;
    app.server.connectionsCheckingInterval = 250;
  }
  await app.listen({ port: 0, host: "127.0.0.1" });
  ready(app.server.address().port);
  return { app };
}

/** The documented graceful stop of each kind, on SIGTERM. */
function shutdown(started) {
  if (kind === "tornado") {
    // The process policy (issue 17) or onShutdown (issue 13) handles SIGTERM when present.
    const { ioloop, server } = started;
    if (typeof ioloop.onShutdown === "function") {
      ioloop.onShutdown(() => server.shutdown(options.shutdownTimeout ?? 10));
    } else if (typeof ioloop.installProcessPolicy !== "function") {
      // Neither has landed: HTTPServer.shutdown (stop accepting, finish in-flight requests,
      // WebSockets 1001, a deadline) wired to SIGTERM by hand.
      process.on("SIGTERM", () => void server.shutdown(options.shutdownTimeout ?? 10));
    }
    return;
  }
  if (kind === "node") {
    process.on("SIGTERM", () => {
      started.server.close();
      started.server.closeIdleConnections();
      for (const socket of started.wss.clients) socket.close(1001);
    });
    return;
  }
  process.on("SIGTERM", () => void started.app.close());
}

// The suite asks for a full collection (the server runs with --expose-gc) before it reads RSS
// after a flood: what is left then is held, not garbage waiting for the next GC.
process.on("SIGUSR2", () => global.gc?.());

const starters = { tornado, node, fastify };
if (!(kind in starters)) throw new Error(`unknown server kind ${kind}`);
starters[kind]().then(shutdown, (error) => {
  process.stderr.write(`server failed to start: ${error.stack}\n`);
  process.exit(1);
});
