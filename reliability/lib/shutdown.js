// Graceful shutdown under load: `inFlight` requests on a handler that takes 500 ms and a few
// open WebSockets, then SIGTERM (each kind's documented graceful stop, lib/server.js). Every
// in-flight request must complete, new connections be refused, the WebSockets get 1001, and
// the process exit by itself with status 0.
"use strict";
const net = require("node:net");
const { exchange, report, startServer, waitFor } = require("./harness");
const { UPGRADE, closeCode, frame } = require("./hostile");

/** A WebSocket client that answers the server's close frame, as a browser does. */
function webSocket(port) {
  let received = Buffer.alloc(0);
  const answerClose = (socket) => {
    socket.on("data", (chunk) => {
      received = Buffer.concat([received, chunk]);
      const code = closeCode(received);
      if (code !== null && !socket.destroyed) socket.end(frame(8, Buffer.from([code >> 8, code & 0xff])));
    });
  };
  return exchange(port, [UPGRADE, answerClose], { timeoutMs: 20000 });
}

function refused(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error) => resolve(error.code === "ECONNREFUSED"));
  });
}

async function gracefulShutdown(kind, { inFlight = 200, websockets = kind === "fastify" ? 0 : 3 } = {}) {
  const server = await startServer(kind, { shutdownTimeout: 10 });
  try {
    const fdsBefore = server.openFds();
    const sockets = Array.from({ length: websockets }, () => webSocket(server.port));
    const requests = Array.from({ length: inFlight }, () =>
      exchange(server.port, "GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", { timeoutMs: 20000 }),
    );
    // Every connection accepted (the requests are in their 500 ms handler), then the signal.
    await waitFor(() => server.openFds() >= fdsBefore + inFlight + websockets, { what: "the server to accept every connection" });
    const start = Date.now();
    server.child.kill("SIGTERM");
    let refusedAfterMs = null;
    while (refusedAfterMs === null && Date.now() - start < 5000) {
      if (await refused(server.port)) refusedAfterMs = Date.now() - start;
    }
    const answers = await Promise.all(requests);
    // When the last in-flight connection was closed (by the server, or by the client's 20 s timeout).
    const lastConnectionClosedMs = Date.now() - start;
    const completed = answers.filter((answer) => answer.status === 200 && answer.bytes.toString("latin1").endsWith("done")).length;
    
    const closes = (await Promise.all(sockets)).map((answer) => closeCode(answer.bytes));
    let timer;
    const exit = await Promise.race([server.exited, new Promise((resolve) => (timer = setTimeout(() => resolve(null), 20000)))]);
    clearTimeout(timer);
    return report(`graceful shutdown ${kind}`, {
      inFlight,
      completed,
      refusedAfterMs: refusedAfterMs ?? "never",
      lastConnectionClosedMs,
      webSocketCloses: closes.join(",") || "none",
      exitCode: exit === null ? "still running after 20 s" : (exit.code ?? exit.signal),
      exitAfterMs: exit === null ? "never" : Date.now() - start,
    });
  } finally {
    await server.stop();
  }
}

module.exports = { gracefulShutdown };
