// bench/pubsub server: one process of a room shared through Redis, on @tornado/websocket's
// WebSocketGroup with @tornado/pubsub's RedisBroker, or on socket.io with
// @socket.io/redis-adapter (node-redis clients, as its README shows). Every message a client
// sends is broadcast to the whole room, in every process. Forked by run.js; sends {port} when
// listening and answers {rss} requests.
// Usage: node server.js <tornado|socketio> <redis-url> [slow-consumer-policy close|drop]
"use strict";

const [impl, redisUrl, policy = "close"] = process.argv.slice(2);

async function tornado() {
  const { Application } = require("@tornado/web");
  const { WebSocketGroup, WebSocketHandler } = require("@tornado/websocket");
  const { RedisBroker } = require("@tornado/pubsub");
  const { accessLog, LogLevel, onShutdown } = require("@tornado/ioloop");
  accessLog.level = LogLevel.WARNING;
  const broker = new RedisBroker({ url: redisUrl });
  await broker.connect();
  const room = new WebSocketGroup({ name: "bench", broker, slowConsumer: policy });
  await room.whenReady();
  class RoomHandler extends WebSocketHandler {
    open() {
      room.add(this);
    }
    onMessage(message) {
      void room.broadcast(message).catch(() => undefined);
    }
  }
  const server = await new Application([["/room", RoomHandler]]).listen(0, "127.0.0.1", { backlog: 4096 });
  // run.js stops a server with SIGTERM: close the broker too, or its connections keep the
  // process alive until the process policy's timeout.
  onShutdown(async () => {
    await server.shutdown(1);
    await room.close();
    await broker.close();
  });
  return { port: server.boundPorts()[0], stats: () => room.stats };
}

async function socketio() {
  const http = require("node:http");
  const { Server } = require("socket.io");
  const { createAdapter } = require("@socket.io/redis-adapter");
  const { createClient } = require("redis");
  const pubClient = createClient({ url: redisUrl });
  const subClient = pubClient.duplicate();
  await Promise.all([pubClient.connect(), subClient.connect()]);
  const httpServer = http.createServer();
  const io = new Server(httpServer, { adapter: createAdapter(pubClient, subClient), transports: ["websocket"], serveClient: false });
  io.on("connection", (socket) => {
    socket.on("m", (payload) => io.emit("m", payload));
  });
  await new Promise((resolve) => httpServer.listen({ port: 0, host: "127.0.0.1", backlog: 4096 }, resolve));
  return { port: httpServer.address().port, stats: () => ({}) };
}

(impl === "tornado" ? tornado() : impl === "socketio" ? socketio() : Promise.reject(new Error(`unknown impl ${impl}`))).then(
  ({ port, stats }) => {
    process.on("message", (message) => {
      if (message === "rss") {
        if (global.gc) global.gc();
        process.send({ rss: process.memoryUsage().rss, stats: stats() });
      }
    });
    process.send({ port });
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
