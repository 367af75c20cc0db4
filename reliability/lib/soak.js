// Soak: `connections` keep-alive clients request the hello app as fast as they can for
// `seconds`; RSS is sampled every second and must stay flat after the warm-up (the first
// quarter): a leak per request shows as growth.
"use strict";
const { connect, percentile, report, startServer } = require("./harness");

async function client(port, deadline, times) {
  const socket = await connect(port);
  let count = 0;
  let buffer = "";
  let resolveResponse = null;
  socket.on("data", (chunk) => {
    buffer += chunk.toString("latin1");
    const end = buffer.indexOf("\r\n\r\n");
    if (end < 0) return;
    const length = Number(/content-length: (\d+)/i.exec(buffer.slice(0, end))?.[1] ?? 0);
    if (buffer.length < end + 4 + length) return;
    buffer = buffer.slice(end + 4 + length);
    resolveResponse?.();
  });
  while (Date.now() < deadline) {
    const start = process.hrtime.bigint();
    await new Promise((resolve) => {
      resolveResponse = resolve;
      socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    });
    if (count++ % 50 === 0) times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  socket.destroy();
  return count;
}

async function soak(kind, { seconds = 15, connections = 16 } = {}) {
  const server = await startServer(kind);
  try {
    const samples = [];
    const sampler = setInterval(() => samples.push(server.rssBytes() / 2 ** 20), 1000);
    const times = [];
    const cpuBefore = server.cpuSeconds();
    const deadline = Date.now() + seconds * 1000;
    const counts = await Promise.all(Array.from({ length: connections }, () => client(server.port, deadline, times)));
    clearInterval(sampler);
    const requests = counts.reduce((a, b) => a + b, 0);
    const warm = samples.slice(Math.floor(samples.length / 4));
    return report(`soak ${kind}`, {
      seconds,
      requests,
      requestsPerSecond: requests / seconds,
      p99Ms: percentile(times, 99),
      serverCpuMicrosPerRequest: ((server.cpuSeconds() - cpuBefore) * 1e6) / requests,
      rssAfterWarmupMiB: warm[0],
      rssEndMiB: warm[warm.length - 1],
      rssMaxAfterWarmupMiB: Math.max(...warm),
      rssGrowthMiB: warm[warm.length - 1] - warm[0],
    });
  } finally {
    await server.stop();
  }
}

module.exports = { soak };
