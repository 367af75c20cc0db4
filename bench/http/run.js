// HTTP server benchmark, all servers in one run: our HTTPServer (request callback), node:http,
// fastify and Python Tornado 6 (when /usr/bin/python3 has tornado).
//   1. hello world: GET / -> "Hello, world", keep-alive, 64 connections (wrk)
//   2. the same with 16 requests pipelined per write (wrk + pipeline.lua)
//   3. RSS of each server holding 10,000 idle keep-alive connections (ours vs node:http)
// Prints req/s, p99 latency, server CPU time per request and RSS per server, and the ratios to
// node:http (of req/s, and of CPU per request: the robust figure on a shared, loaded machine).
// Usage: node bench/http/run.js [--seconds 5] [--rounds 3] [--idle 10000] [--only tornado,node]
// Every server runs at once (idle while another is measured) and the runs alternate round by
// round, so that noise from other processes falls on all alike; the median round is reported.
// Requires wrk and built packages (`npx tsc -b` in packages/httpserver). The server is pinned to
// CPU 0 and wrk to CPU 1 when taskset exists (separate cores on a 2-core machine).
"use strict";
const { spawn, spawnSync, execFileSync } = require("node:child_process");
const { readFileSync, existsSync } = require("node:fs");
const path = require("node:path");
const { hasWrk, record, recordMissing, wrkPercentiles } = require("../report/record");

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
}
const SECONDS = Number(option("seconds", "5"));
const ROUNDS = Number(option("rounds", "3"));
const IDLE = Number(option("idle", "10000"));
const ONLY = option("only", "");
const HAS_TASKSET = spawnSync("which", ["taskset"]).status === 0;
const HAS_PYTHON_TORNADO = spawnSync("/usr/bin/python3", ["-c", "import tornado"]).status === 0;
const DISPLAY = { "tornado-ts": "@tornado/httpserver", "node:http": "node:http", fastify: "fastify", "python-tornado": "Python Tornado" };

const SERVERS = [
  { name: "tornado-ts", command: process.execPath, args: [path.join(__dirname, "server.js"), "tornado"] },
  { name: "node:http", command: process.execPath, args: [path.join(__dirname, "server.js"), "node"] },
  { name: "fastify", command: process.execPath, args: [path.join(__dirname, "server.js"), "fastify"] },
  ...(HAS_PYTHON_TORNADO ? [{ name: "python-tornado", command: "/usr/bin/python3", args: [path.join(__dirname, "tornado_hello.py")] }] : []),
].filter((s) => !ONLY || ONLY.split(",").some((o) => s.name.includes(o)));

function pinned(cpu, command, args) {
  return HAS_TASKSET ? ["taskset", ["-c", String(cpu), command, ...args]] : [command, args];
}

function startServer(server) {
  const [command, args] = pinned(0, server.command, server.args);
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (data) => {
      output += data;
      const match = /^(\d+)\s*$/m.exec(output);
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.once("exit", (code) => reject(new Error(`${server.name} exited with ${code}`)));
  });
}

function rssKiB(pid) {
  // The server may run under taskset (same pid after exec).
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
}

// CPU seconds (user + system) the process has used so far.
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}
const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

function wrk(port, seconds, script, pid) {
  const cpuBefore = pid ? cpuSeconds(pid) : 0;
  const args = ["-t1", "-c64", `-d${seconds}s`, "--latency", ...(script ? ["-s", script] : []), `http://127.0.0.1:${port}/`];
  const [command, fullArgs] = pinned(1, "wrk", args);
  const output = execFileSync(command, fullArgs, { encoding: "utf8" });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)[1]);
  const p99Match = /99%\s+([\d.]+)(us|ms|s)/.exec(output);
  const p99 = p99Match ? Number(p99Match[1]) * { us: 0.001, ms: 1, s: 1000 }[p99Match[2]] : NaN;
  const errors = /Socket errors: (.*)/.exec(output)?.[1] ?? "";
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? "0";
  const requests = Number(/(\d+) requests in/.exec(output)[1]);
  const { p50Ms, p99Ms } = wrkPercentiles(output);
  // Server CPU time per request: robust to a loaded machine, where req/s mostly measures
  // how much CPU the scheduler gave to the server and to wrk.
  const cpuPerRequest = pid ? ((cpuSeconds(pid) - cpuBefore) / requests) * 1e6 : NaN;
  return { rps, p50Ms, p99Ms, p99, errors, non2xx: Number(non2xx), cpuPerRequest };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function idleRss(server, count) {
  const { child, port } = await startServer(server);
  await sleep(300);
  const before = rssKiB(child.pid);
  const client = spawn(process.execPath, [path.join(__dirname, "idle-client.js"), String(port), String(count)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("idle client did not get every answer in 120 s")), 120000);
    client.stdout.on("data", (data) => {
      if (String(data).includes("ready")) {
        process.stdout.write(`  (${server.name}: ${String(data).trim()})\n`);
        clearTimeout(timer);
        resolve();
      }
    });
  });
  await sleep(1500);
  const after = rssKiB(child.pid);
  client.kill();
  child.kill();
  return { before, after };
}

async function main() {
  if (!hasWrk()) {
    console.log("wrk is not installed (apt-get install wrk): every server is recorded as missing");
    for (const scenario of ["hello, 64 connections", "16 pipelined per write, 64 connections"]) {
      for (const name of Object.keys(DISPLAY)) {
        recordMissing({ suite: "http", scenario, impl: DISPLAY[name], reference: name === "node:http", unit: "req/s" }, "wrk is not installed (apt-get install wrk)");
      }
    }
    return;
  }
  console.log(`node ${process.version}, ${SECONDS} s per run, median of ${ROUNDS} alternating rounds, servers on CPU 0 and wrk on CPU 1: ${HAS_TASKSET}`);
  const running = [];
  for (const server of SERVERS) running.push({ server, ...(await startServer(server)), hello: [], pipelined: [] });
  for (const entry of running) wrk(entry.port, 1); // warm-up (JIT, connections)
  for (let round = 0; round < ROUNDS; round++) {
    for (const entry of running) {
      entry.hello.push(wrk(entry.port, SECONDS, undefined, entry.child.pid));
      entry.pipelined.push(wrk(entry.port, SECONDS, path.join(__dirname, "pipeline.lua"), entry.child.pid));
    }
  }
  const median = (runs) => [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)];
  const results = [];
  for (const entry of running) {
    const hello = median(entry.hello);
    const pipelined = median(entry.pipelined);
    const rss = rssKiB(entry.child.pid);
    entry.child.kill();
    results.push({ name: entry.server.name, hello, pipelined, rss });
    console.log(
      `${entry.server.name.padEnd(15)} hello ${hello.rps.toFixed(0).padStart(8)} req/s p99 ${hello.p99.toFixed(2)} ms ${hello.cpuPerRequest.toFixed(1)} µs CPU/req | ` +
        `pipelined ${pipelined.rps.toFixed(0).padStart(8)} req/s p99 ${pipelined.p99.toFixed(2)} ms ${pipelined.cpuPerRequest.toFixed(1)} µs CPU/req | RSS ${(rss / 1024).toFixed(1)} MiB` +
        (hello.errors || pipelined.errors ? ` | socket errors: ${hello.errors} ${pipelined.errors}` : "") +
        (hello.non2xx || pipelined.non2xx ? ` | non-2xx: ${hello.non2xx + pipelined.non2xx}` : ""),
    );
  }
  for (const r of results) {
    for (const [scenario, run] of [["hello, 64 connections", r.hello], ["16 pipelined per write, 64 connections", r.pipelined]]) {
      record({
        suite: "http", scenario, impl: DISPLAY[r.name], ours: r.name === "tornado-ts", reference: r.name === "node:http",
        unit: "req/s", rate: run.rps, p50Ms: run.p50Ms, p99Ms: run.p99Ms, rssMiB: r.rss / 1024,
        cpu: run.cpuPerRequest, cpuUnit: "µs/req (server)",
      });
    }
  }
  if (!HAS_PYTHON_TORNADO) {
    for (const scenario of ["hello, 64 connections", "16 pipelined per write, 64 connections"]) {
      recordMissing({ suite: "http", scenario, impl: DISPLAY["python-tornado"], unit: "req/s" }, "no Tornado in /usr/bin/python3 (apt-get install python3-tornado)");
    }
  }
  await sleep(500);
  const node = results.find((r) => r.name === "node:http");
  if (node) {
    console.log("\nratios to node:http (req/s, and node:http's CPU per request / this server's):");
    for (const r of results) {
      console.log(
        `  ${r.name.padEnd(15)} hello ${(r.hello.rps / node.hello.rps).toFixed(2)}x (CPU ${(node.hello.cpuPerRequest / r.hello.cpuPerRequest).toFixed(2)}x)   ` +
          `pipelined ${(r.pipelined.rps / node.pipelined.rps).toFixed(2)}x (CPU ${(node.pipelined.cpuPerRequest / r.pipelined.cpuPerRequest).toFixed(2)}x)`,
      );
    }
  }
  if (IDLE > 0) {
    console.log(`\n${IDLE} idle keep-alive connections (server RSS before -> after):`);
    const idle = {};
    for (const server of SERVERS.filter((s) => s.name === "tornado-ts" || s.name === "node:http")) {
      idle[server.name] = await idleRss(server, IDLE);
      const { before, after } = idle[server.name];
      console.log(`  ${server.name.padEnd(15)} ${(before / 1024).toFixed(1)} MiB -> ${(after / 1024).toFixed(1)} MiB (+${((after - before) / IDLE).toFixed(2)} KiB per connection)`);
      record({
        suite: "http", scenario: `${IDLE} idle keep-alive connections (RSS)`, impl: DISPLAY[server.name],
        ours: server.name === "tornado-ts", reference: server.name === "node:http", unit: "req/s", rate: null, rssMiB: after / 1024,
      });
      await sleep(500);
    }
    if (idle["tornado-ts"] && idle["node:http"]) {
      console.log(`  ratio tornado-ts / node:http RSS: ${(idle["tornado-ts"].after / idle["node:http"].after).toFixed(2)} (budget <= 1.00)`);
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
