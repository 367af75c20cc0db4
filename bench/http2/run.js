// HTTP/2 benchmark, all servers in one run, driven by h2load (Debian's nghttp2-client):
//   hello  GET /      "Hello, World!"
//   json   GET /json  {"message":"Hello, World!"}
// over cleartext HTTP/2 with prior knowledge (h2c), or with --tls over TLS (ALPN h2), 64
// concurrent streams: 4 connections with 16 streams each (h2load -c4 -m16). Servers: @tornado/web's Application (app.listen with
// http2: true), @tornado/httpserver with a request callback, fastify with http2: true, and
// node:http2's core stream API (no framework: the floor under every row).
// Prints req/s, mean request time, server CPU time per request and the ratios to fastify
// (of req/s, and fastify's CPU per request / this server's). Budget: tornado-web >= 1.2x
// fastify's req/s.
// Usage: node bench/http2/run.js [--seconds 2] [--rounds 9] [--connections 4] [--streams 16]
//        [--requests N] [--tls] [--only tornado-web,fastify]
// --requests runs a fixed number of requests per round (h2load -n) instead of a duration: on a
// loaded machine its CPU per request is the steadier figure.
// Every server runs at once (idle while another is measured). A round measures one scenario on
// every server back to back (the order alternating round by round), so the runs it compares
// are seconds apart: this machine's speed drifts by 20-40% over minutes, and a ratio of runs
// taken half a minute apart measured that drift as much as the servers. Reported: the median
// round of each server, and the budget's figure, the median over rounds of tornado-web's
// req/s divided by fastify's in the same round (with the lowest and highest such ratio). Then,
// as a second and steadier reading (not the budget's), tornado-web and fastify side by side:
// loaded at once for the same seconds, so that the machine's drift falls on both alike.
// The server is pinned to CPU 0 and h2load to CPU 1 when taskset exists. Requires h2load and
// built packages (`npx tsc -b` in packages/web).
"use strict";
const { execFile, spawn, spawnSync, execFileSync } = require("node:child_process");
const { readFileSync } = require("node:fs");
const http2 = require("node:http2");
const path = require("node:path");
const { record, recordMissing } = require("../report/record");

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
}
const SECONDS = Number(option("seconds", "2"));
const ROUNDS = Number(option("rounds", "9"));
const CONNECTIONS = Number(option("connections", "4"));
const STREAMS = Number(option("streams", "16"));
const ONLY = option("only", "");
const REQUESTS = Number(option("requests", "0"));
const TLS = process.argv.includes("--tls");
const SCHEME = TLS ? "https" : "http";
const HAS_TASKSET = spawnSync("which", ["taskset"]).status === 0;
const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

const DISPLAY = { "tornado-web": "@tornado/web", "tornado-server": "@tornado/httpserver", fastify: "fastify", "node-http2": "node:http2 (core API)" };
const SERVERS = ["tornado-web", "tornado-server", "fastify", "node-http2"].filter((name) => !ONLY || ONLY.split(",").includes(name));
const SCENARIOS = [
  { name: "hello", path: "/", check: (body) => body === "Hello, World!" },
  { name: "json", path: "/json", check: (body) => JSON.parse(body).message === "Hello, World!" },
];

function pinned(cpu, command, args) {
  return HAS_TASKSET ? ["taskset", ["-c", String(cpu), command, ...args]] : [command, args];
}

function startServer(name) {
  const [command, args] = pinned(0, process.execPath, [path.join(__dirname, "server.js"), name, ...(TLS ? ["tls"] : [])]);
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (data) => {
      output += data;
      const match = /^(\d+)\s*$/m.exec(output);
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.once("exit", (code) => reject(new Error(`${name} exited with ${code}`)));
  });
}

// CPU seconds (user + system) the process has used so far (the pid survives taskset's exec).
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function fetchOnce(port, urlPath) {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`${SCHEME}://127.0.0.1:${port}`, { rejectUnauthorized: false });
    session.on("error", reject);
    const stream = session.request({ ":path": urlPath });
    let body = "";
    let status = 0;
    stream.on("response", (headers) => (status = headers[":status"]));
    stream.on("data", (chunk) => (body += chunk));
    stream.on("end", () => session.close(() => resolve({ status, body })));
    stream.on("error", reject);
  });
}

function h2loadArgs(port, urlPath, amount) {
  return pinned(1, "h2load", ["-t1", `-c${CONNECTIONS}`, `-m${STREAMS}`, amount, `${SCHEME}://127.0.0.1:${port}${urlPath}`]);
}

function parseH2load(output) {
  const rps = Number(/finished in [\d.]+s, ([\d.]+) req\/s/.exec(output)[1]);
  const [, succeeded, failed, errored] = /requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored/.exec(output).map(Number);
  const [, , , client, server] = /status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/.exec(output).map(Number);
  const mean = /time for request:\s+\S+\s+\S+\s+(\S+)/.exec(output)[1];
  return { rps, mean, succeeded, failed: failed + errored + client + server };
}

function h2load(port, urlPath, seconds, pid) {
  const cpuBefore = pid ? cpuSeconds(pid) : 0;
  const [command, args] = h2loadArgs(port, urlPath, REQUESTS > 0 && pid ? `-n${REQUESTS}` : `-D${seconds}`);
  const result = parseH2load(execFileSync(command, args, { encoding: "utf8" }));
  const cpuPerRequest = pid ? ((cpuSeconds(pid) - cpuBefore) / result.succeeded) * 1e6 : NaN;
  return { ...result, cpuPerRequest };
}

// Side by side: two servers loaded for the same seconds at once, both on CPU 0 and one h2load
// each on CPU 1. Whatever the machine does in those seconds falls on both alike, and with both
// busy the scheduler shares CPU 0 between them, so the ratio of the requests they served is the
// ratio of their costs. A steadier reading than the rounds (whose runs are seconds apart); the
// budget stays on the rounds, which measure each server alone.
async function sideBySide(first, second, urlPath) {
  const load = (entry) => {
    const [command, args] = h2loadArgs(entry.port, urlPath, `-D${SECONDS}`);
    return new Promise((resolve, reject) => {
      execFile(command, args, { encoding: "utf8" }, (error, stdout) => (error ? reject(error) : resolve(parseH2load(stdout))));
    });
  };
  const [a, b] = await Promise.all([load(first), load(second)]);
  return a.succeeded / b.succeeded;
}

function scenarioLabel(scenario) {
  return `${scenario.name} (GET ${scenario.path}), ${CONNECTIONS} connections x ${STREAMS} streams, ${TLS ? "h2 over TLS" : "h2c"}`;
}

async function main() {
  if (spawnSync("which", ["h2load"]).status !== 0) {
    console.log("h2load is not installed (apt-get install nghttp2-client): every server is recorded as missing");
    for (const scenario of SCENARIOS) {
      for (const name of SERVERS) {
        recordMissing(
          { suite: "http2", scenario: scenarioLabel(scenario), impl: DISPLAY[name], reference: name === "fastify", unit: "req/s" },
          "h2load is not installed (apt-get install nghttp2-client)",
        );
      }
    }
    return;
  }
  console.log(
    `node ${process.version}, ${TLS ? "h2 over TLS" : "h2c"}, ${CONNECTIONS} connections x ${STREAMS} streams, ${REQUESTS > 0 ? `${REQUESTS} requests` : `${SECONDS} s`} per run, median of ${ROUNDS} alternating rounds, servers on CPU 0 and h2load on CPU 1: ${HAS_TASKSET}`,
  );
  const running = [];
  for (const name of SERVERS) running.push({ name, ...(await startServer(name)), runs: {} });
  for (const entry of running) {
    for (const scenario of SCENARIOS) {
      const response = await fetchOnce(entry.port, scenario.path);
      if (response.status !== 200 || !scenario.check(response.body)) {
        throw new Error(`${entry.name} ${scenario.name}: bad response ${response.status} ${response.body}`);
      }
      h2load(entry.port, scenario.path, 2); // warm-up (JIT, connections)
    }
  }
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? running : [...running].reverse();
    for (const scenario of SCENARIOS) {
      for (const entry of order) (entry.runs[scenario.name] ??= []).push(h2load(entry.port, scenario.path, SECONDS, entry.child.pid));
    }
  }
  const web = running.find((entry) => entry.name === "tornado-web");
  const fastify = running.find((entry) => entry.name === "fastify");
  const sideBySideRatios = {};
  if (web && fastify) {
    for (const scenario of SCENARIOS) {
      sideBySideRatios[scenario.name] = [];
      for (let round = 0; round < ROUNDS; round++) sideBySideRatios[scenario.name].push(await sideBySide(web, fastify, scenario.path));
    }
  }
  for (const entry of running) {
    entry.rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${entry.child.pid}/status`, "utf8"))[1]) / 1024;
    entry.child.kill();
  }
  const median = (runs) => [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)];
  for (const scenario of SCENARIOS) {
    console.log(`\n${scenario.name} (GET ${scenario.path})`);
    const base = fastify ? median(fastify.runs[scenario.name]) : null;
    for (const entry of running) {
      const result = median(entry.runs[scenario.name]);
      record({
        suite: "http2", scenario: scenarioLabel(scenario), impl: DISPLAY[entry.name], ours: entry.name.startsWith("tornado"),
        reference: entry.name === "fastify", unit: "req/s", rate: result.rps, rssMiB: entry.rss,
        cpu: result.cpuPerRequest, cpuUnit: "µs/req (server)",
      });
      const spread = entry.runs[scenario.name].map((run) => Math.round(run.rps)).join(", ");
      const ratios = base
        ? `  ${(result.rps / base.rps).toFixed(2)}x fastify (CPU ${(base.cpuPerRequest / result.cpuPerRequest).toFixed(2)}x)`
        : "";
      console.log(
        `  ${entry.name.padEnd(15)} ${result.rps.toFixed(0).padStart(8)} req/s  mean ${result.mean.padStart(8)}  ${result.cpuPerRequest.toFixed(1).padStart(6)} µs CPU/req${ratios}  [rounds: ${spread}]` +
          (result.failed ? `  FAILED/non-2xx: ${result.failed}` : ""),
      );
    }
  }
  if (web && fastify) {
    console.log("\ntornado-web req/s / fastify req/s, round by round (budget: median >= 1.20)");
    for (const scenario of SCENARIOS) {
      const ratios = web.runs[scenario.name].map((run, round) => run.rps / fastify.runs[scenario.name][round].rps);
      const met = ratios.filter((ratio) => ratio >= 1.2).length;
      console.log(`  ${scenario.name}: ${describeRatios(ratios)}; >= 1.20 in ${met} of ${ratios.length} rounds`);
    }
    console.log(`\nside by side (both loaded at once, ${ROUNDS} times per scenario): requests served, tornado-web / fastify`);
    for (const scenario of SCENARIOS) {
      console.log(`  ${scenario.name}: ${describeRatios(sideBySideRatios[scenario.name])}`);
    }
  }
}

// "median 1.31, lowest 1.08, highest 1.64  [each in order]"
function describeRatios(ratios) {
  const sorted = [...ratios].sort((a, b) => a - b);
  const each = ratios.map((ratio) => ratio.toFixed(2)).join(", ");
  return `median ${sorted[Math.floor(sorted.length / 2)].toFixed(2)}, lowest ${sorted[0].toFixed(2)}, highest ${sorted.at(-1).toFixed(2)}  [${each}]`;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
