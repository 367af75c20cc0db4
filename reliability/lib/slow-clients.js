// Slow clients: `connections` sockets that send a request head one byte every `byteEveryMs`
// (half of them), or a whole head and then a body one byte at a time (the other half), while a
// normal client measures its latency. The server must close every slow socket by its header
// and body timeouts (408 where it answers), and the normal client keep its usual p99.
"use strict";
const net = require("node:net");
const { latencies, percentile, report, startServer, waitFor } = require("./harness");

async function slowClients(kind, { connections = 1000, headersTimeout = 2, bodyTimeout = 2, byteEveryMs = 200, samples = 200 } = {}) {
  const server = await startServer(kind, { headersTimeout, bodyTimeout });
  const sockets = [];
  let ticker = null;
  try {
    await latencies(server.port, 50); // warm-up
    const before = await latencies(server.port, samples);
    const cpuBefore = server.cpuSeconds();
    const head = `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${"a".repeat(4000)}\r\n\r\n`;
    const bodyHead = "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n";
    const results = { headClosed: 0, bodyClosed: 0, answered408: 0, longestSeconds: 0 };
    for (let i = 0; i < connections; i++) {
      const slowBody = i % 2 === 1;
      const socket = net.connect(server.port, "127.0.0.1");
      const entry = { socket, slowBody, sent: 0, opened: Date.now(), closed: false, data: "" };
      socket.on("data", (chunk) => (entry.data += chunk.toString("latin1")));
      socket.on("error", () => undefined);
      socket.on("close", () => {
        entry.closed = true;
        results[slowBody ? "bodyClosed" : "headClosed"]++;
        if (entry.data.startsWith("HTTP/1.1 408")) results.answered408++;
        results.longestSeconds = Math.max(results.longestSeconds, (Date.now() - entry.opened) / 1000);
      });
      if (slowBody) socket.write(bodyHead);
      sockets.push(entry);
    }
    ticker = setInterval(() => {
      for (const entry of sockets) {
        if (entry.closed || entry.socket.connecting) continue;
        const text = entry.slowBody ? "a" : head[entry.sent % head.length];
        entry.sent++;
        entry.socket.write(text);
      }
    }, byteEveryMs);
    const during = await latencies(server.port, samples);
    const limit = (headersTimeout + bodyTimeout) * 1000 + 30000;
    await waitFor(() => sockets.every((entry) => entry.closed), { timeoutMs: limit, what: "the server to close every slow connection" });
    return report(`slow clients ${kind}`, {
      connections,
      closedByServer: results.headClosed + results.bodyClosed,
      answered408: results.answered408,
      longestOpenSeconds: results.longestSeconds,
      p50BeforeMs: percentile(before, 50),
      p99BeforeMs: percentile(before, 99),
      p50DuringMs: percentile(during, 50),
      p99DuringMs: percentile(during, 99),
      serverCpuSeconds: server.cpuSeconds() - cpuBefore,
    });
  } finally {
    if (ticker !== null) clearInterval(ticker);
    for (const entry of sockets) entry.socket.destroy();
    await server.stop();
  }
}

module.exports = { slowClients };
