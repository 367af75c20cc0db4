// Floods: `total` concurrent connections opened in batches of `batch`; the server keeps
// answering while they are open, and its file descriptors and RSS go back near where they
// started once the clients leave. Measures the accept rate (connections per second).
"use strict";
const net = require("node:net");
const { latencies, percentile, raiseFileLimit, report, startServer, waitFor } = require("./harness");

function open(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => resolve(socket));
    socket.once("error", () => resolve(null));
  });
}

async function flood(kind, { total = 10000, batch = 500, rounds = 2 } = {}) {
  const limit = raiseFileLimit(total + 2000);
  const count = Math.min(total, limit - 1000);
  const server = await startServer(kind);
  const figures = { fileLimit: limit };
  try {
    const fdsBefore = server.openFds();
    await latencies(server.port, 50);
    figures.fdsBefore = fdsBefore;
    await server.collectGarbage();
    figures.rssBeforeMiB = server.rssBytes() / 2 ** 20;
    // Twice: the second flood must reuse what the first left (RSS flat), not add to it.
    for (let round = 1; round <= rounds; round++) {
      const sockets = [];
      try {
        const start = process.hrtime.bigint();
        let refused = 0;
        for (let opened = 0; opened < count; opened += batch) {
          const batchSockets = await Promise.all(Array.from({ length: Math.min(batch, count - opened) }, () => open(server.port)));
          for (const socket of batchSockets) {
            if (socket === null) refused++;
            else sockets.push(socket);
          }
        }
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        await waitFor(() => server.openFds() >= fdsBefore + sockets.length, { what: "the server to accept every connection" });
        const during = await latencies(server.port, 100);
        Object.assign(figures, {
          [`round${round}Connections`]: sockets.length,
          [`round${round}Refused`]: refused,
          [`round${round}AcceptPerSecond`]: sockets.length / seconds,
          [`round${round}P99WhileOpenMs`]: percentile(during, 99),
          [`round${round}FdsPeak`]: server.openFds(),
          [`round${round}RssPeakMiB`]: server.rssBytes() / 2 ** 20,
        });
      } finally {
        for (const socket of sockets) socket.destroy();
      }
      await waitFor(() => server.openFds() <= fdsBefore + 2, { what: "the server to release the connections" });
      await latencies(server.port, 50);
      await server.collectGarbage();
      figures[`round${round}FdsAfter`] = server.openFds();
      figures[`round${round}RssAfterMiB`] = server.rssBytes() / 2 ** 20;
    }
    return report(`flood ${kind}`, figures);
  } finally {
    await server.stop();
  }
}

module.exports = { flood };
