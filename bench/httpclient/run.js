// @tornado/httpclient against undici's own request() on the same loopback server, in one run.
// Usage: node bench/httpclient/run.js [--server node,tornado] [--seconds 2] [--rounds 5]
// Requires built packages (`npx tsc -b` in packages/httpclient).
//
// Two workloads, each for both clients, alternated round by round so that noise from other
// processes falls on both alike: sequential (one request at a time) and concurrent (64 in
// flight over a pool of 10 connections). Reports the median req/s of the rounds and the
// ratio tornado / undici (the budget is >= 0.9). Because the machine may be shared, it also
// reports the client process's CPU time per request (user + system, this process only: the
// server runs in another), which contention disturbs far less than req/s; its ratio is
// undici / tornado, so above 1 means less CPU per request than undici.
"use strict";
const path = require("node:path");
const { fork } = require("node:child_process");
const { Agent, request } = require("undici");
const { AsyncHTTPClient } = require("@tornado/httpclient");
const { record } = require("../report/record");

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
}
const SERVERS = option("server", "node,tornado").split(",");
const SECONDS = Number(option("seconds", "2"));
const ROUNDS = Number(option("rounds", "5"));
const CONCURRENCY = 64;
const POOL = 10;

async function measure(fetchOne, concurrency, seconds) {
  // Warm up (connections, JIT), then count completed requests for `seconds`.
  for (let i = 0; i < 200; i++) await fetchOne();
  let count = 0;
  const latencies = [];
  const cpuBefore = process.cpuUsage();
  const deadline = performance.now() + seconds * 1000;
  async function worker() {
    while (performance.now() < deadline) {
      const started = performance.now();
      await fetchOne();
      latencies.push(performance.now() - started);
      count++;
    }
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  const percentile = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return { rps: count / elapsed, cpuPerRequest: (cpu.user + cpu.system) / count, p50: percentile(50), p99: percentile(99) };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function benchServer(SERVER) {
  const child = fork(path.join(__dirname, "server.js"), [SERVER], { stdio: "inherit" });
  const { port } = await new Promise((resolve) => child.once("message", resolve));
  const url = `http://127.0.0.1:${port}/`;

  const agent = new Agent({ connections: POOL });
  const client = new AsyncHTTPClient({ maxClients: POOL });
  const clients = {
    undici: async () => {
      const response = await request(url, { dispatcher: agent });
      const body = Buffer.from(await response.body.arrayBuffer());
      if (response.statusCode !== 200 || body.length === 0) throw new Error("bad response");
    },
    tornado: async () => {
      const response = await client.fetch(url);
      if (response.code !== 200 || response.body.length === 0) throw new Error("bad response");
    },
  };

  const results = {};
  for (const [workload, concurrency] of [["sequential", 1], ["concurrent", CONCURRENCY]]) {
    results[workload] = { undici: [], tornado: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of round % 2 === 0 ? ["undici", "tornado"] : ["tornado", "undici"]) {
        results[workload][name].push(await measure(clients[name], concurrency, SECONDS));
      }
    }
  }
  await client.close();
  await agent.close();
  child.kill();

  console.log(`httpclient bench: server=${SERVER}, ${ROUNDS} rounds x ${SECONDS}s, pool ${POOL}, node ${process.version}`);
  console.log("workload     undici req/s  tornado req/s  ratio | undici us/req  tornado us/req  ratio (CPU)");
  for (const [workload, byClient] of Object.entries(results)) {
    for (const [name, impl] of [["undici", "undici request()"], ["tornado", "@tornado/httpclient"]]) {
      const pick = (key) => median(byClient[name].map((r) => r[key]));
      record({
        suite: "httpclient",
        scenario: `${workload === "sequential" ? "one at a time" : `${CONCURRENCY} in flight, ${POOL} connections`}, ${SERVER === "node" ? "node:http" : "@tornado/httpserver"} server`,
        impl, ours: name === "tornado", reference: name === "undici", unit: "req/s", rate: pick("rps"),
        p50Ms: pick("p50"), p99Ms: pick("p99"), cpu: pick("cpuPerRequest"), cpuUnit: "µs/req (client)",
      });
    }
    const undici = median(byClient.undici.map((r) => r.rps));
    const tornado = median(byClient.tornado.map((r) => r.rps));
    const undiciCpu = median(byClient.undici.map((r) => r.cpuPerRequest));
    const tornadoCpu = median(byClient.tornado.map((r) => r.cpuPerRequest));
    console.log(
      `${workload.padEnd(12)} ${undici.toFixed(0).padStart(12)}  ${tornado.toFixed(0).padStart(13)}  ${(tornado / undici).toFixed(2)} |` +
        ` ${undiciCpu.toFixed(1).padStart(12)}  ${tornadoCpu.toFixed(1).padStart(14)}  ${(undiciCpu / tornadoCpu).toFixed(2)}`,
    );
  }
}

async function main() {
  for (const server of SERVERS) await benchServer(server);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
