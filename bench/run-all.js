// `npx -y pnpm@10 bench`: builds the packages, runs every side-by-side benchmark in turn (each
// with its own defaults; see the header comment of each run.js), and writes bench/RESULTS.md
// and bench/charts/<suite>.svg from what the suites recorded (report/record.js). Load only ever
// targets 127.0.0.1; every run is bounded in time.
//   node bench/run-all.js [suite ...]     (default: all; e.g. `npx -y pnpm@10 bench http web`)
"use strict";
const { spawnSync } = require("node:child_process");
const { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { writeResults } = require("./report/results");

const SUITES = [
  { suite: "http", name: "HTTP/1.1 server", title: "HTTP/1.1 server: @tornado/httpserver (request callback) against node:http, fastify and Python Tornado; wrk -t1 -c64, hello world and 16-deep pipelining; RSS with 10,000 idle keep-alive connections." },
  { suite: "http2", name: "HTTP/2 (h2c)", title: "HTTP/2 over cleartext (h2c, prior knowledge): @tornado/web and @tornado/httpserver against fastify (http2: true) and node:http2's core stream API; h2load, 4 connections x 16 streams." },
  { suite: "web", name: "Web framework", title: "Web framework: @tornado/web against fastify, express, hono and Python Tornado; wrk -t1 -c50 on text, JSON and a path parameter in a 1-route and a 200-route table." },
  { suite: "websocket", name: "WebSocket", title: "WebSocket: @tornado/websocket against ws and Python Tornado; echo over 50 connections, broadcast to 5,000, RSS with 10,000 idle connections." },
  { suite: "httpclient", name: "HTTP client", title: "HTTP client: @tornado/httpclient against undici's request() on the same loopback server (node:http, then ours); one request at a time, and 64 in flight over 10 connections. CPU is the client process's." },
  { suite: "iostream", name: "IOStream", title: "IOStream: bulk echo with 1 MiB writes and a line protocol of 64-byte lines, against net.Socket and a hand-written splitter. CPU is both processes'." },
  { suite: "pubsub", name: "Fan-out through Redis", title: "Fan-out through Redis: WebSocketGroup on RedisBroker against socket.io with @socket.io/redis-adapter; 1,000 connections over 2 processes, 32-byte messages; latency at a fixed rate; 10 stalled connections among 50." },
  { suite: "template", name: "Templates", title: "Templates: one 11.9 KB page (extends, include, if, a 100-row table) in @tornado/template, eta, ejs, nunjucks, handlebars, a hand-written function and Python Tornado; renders per second in one process." },
];
const SUITE_TIMEOUT_MS = 20 * 60 * 1000;
const root = path.join(__dirname, "..");
const only = process.argv.slice(2);

function output(command, args) {
  const result = spawnSync(command, args, { encoding: "utf8" });
  return result.error ? null : `${result.stdout}${result.stderr}`.trim();
}

function packageVersion(name) {
  const file = path.join(__dirname, "node_modules", name, "package.json");
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")).version : "not installed";
}

function versions() {
  const python = output("/usr/bin/python3", ["-c", "import sys, tornado; print(sys.version.split()[0], tornado.version)"]);
  const [pythonVersion, tornadoVersion] = python && /^\d/.test(python) ? python.split(" ") : [null, null];
  const wrk = output("wrk", ["-v"]);
  return [
    ["Node.js", process.version],
    ...["fastify", "express", "hono", "@hono/node-server", "ws", "undici", "eta", "ejs", "nunjucks", "handlebars", "socket.io", "@socket.io/redis-adapter", "redis"].map((name) => [name, packageVersion(name)]),
    ["Python Tornado", tornadoVersion ?? "missing (apt-get install python3-tornado)"],
    ["Python", pythonVersion ?? (existsSync("/usr/bin/python3") ? "present, without tornado" : "missing")],
    ["wrk", wrk && /^wrk \S+/.test(wrk) ? /^wrk (\S+)/.exec(wrk)[1] : "missing (apt-get install wrk)"],
  ];
}

function machine(loadBefore) {
  const cpus = os.cpus();
  const debian = existsSync("/etc/debian_version") ? ` (Debian ${readFileSync("/etc/debian_version", "utf8").trim()})` : "";
  const commit = output("git", ["-C", root, "rev-parse", "--short", "HEAD"]) ?? "unknown";
  const dirty = output("git", ["-C", root, "status", "--porcelain"]) ? " (with uncommitted changes)" : "";
  const load = (values) => values.map((value) => value.toFixed(2)).join(" / ");
  return [
    ["CPU", `${cpus[0]?.model ?? "unknown"}, ${cpus.length} cores`],
    ["Memory", `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`],
    ["OS", `${os.type()} ${os.release()}${debian}`],
    ["Load average (1 / 5 / 15 min)", `before: ${load(loadBefore)}; after: ${load(os.loadavg())} (2 cores: above 2 means other work waited for a core)`],
    // Read from the load average: the script cannot know what else ran, only how busy the cores were.
    ["Other work", Math.max(loadBefore[0], os.loadavg()[0]) > cpus.length ? "yes: the 1-minute load average exceeded the cores" : "little: the 1-minute load average stayed within the cores"],
    ["Commit", `${commit}${dirty}`],
  ];
}

const loadBefore = os.loadavg();
const build = spawnSync("npx", ["-y", "pnpm@10", "build"], { cwd: root, stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

const resultsFile = path.join(os.tmpdir(), `tornado-bench-${process.pid}.jsonl`);
rmSync(resultsFile, { force: true });
const ran = [];
let failed = 0;
for (const { suite, name, title } of SUITES) {
  if (only.length > 0 && !only.includes(suite)) continue;
  const script = path.join(__dirname, suite, "run.js");
  if (!existsSync(script)) continue;
  console.log(`\n=== bench/${suite} ===`);
  const started = Date.now();
  const result = spawnSync(process.execPath, [script], {
    cwd: __dirname,
    stdio: "inherit",
    timeout: SUITE_TIMEOUT_MS,
    env: { ...process.env, TORNADO_BENCH_RESULTS: resultsFile },
  });
  const status = result.error ? `failed: ${result.error.message}` : result.status === 0 ? "ok" : `failed: exit ${result.status ?? result.signal}`;
  if (status !== "ok") {
    console.log(`bench/${suite} ${status}`);
    failed++;
  }
  ran.push({ suite, name, title, command: `node bench/${suite}/run.js`, seconds: (Date.now() - started) / 1000, status });
}

// The reliability suite (reliability/README.md; its CI-sized cases are Jest tests) runs long
// here: slow clients against the default timeouts, three floods of 10,000, a 60 s soak, side by
// side with node:http and fastify. It prints its figures; they are not charted. Its slow
// clients alone hold each server for 5-6 minutes (a byte a second until the default timeouts
// cut them), so it gets a longer bound than a benchmark suite.
const RELIABILITY_TIMEOUT_MS = 45 * 60 * 1000;
if (only.length === 0 || only.includes("reliability")) {
  console.log("\n=== reliability (--long) ===");
  const result = spawnSync(process.execPath, [path.join(root, "reliability", "run.js"), "--long"], { cwd: root, stdio: "inherit", timeout: RELIABILITY_TIMEOUT_MS });
  if (result.status !== 0) {
    console.log(`reliability failed: exit ${result.status ?? result.signal}`);
    failed++;
  }
}

const entries = existsSync(resultsFile)
  ? readFileSync(resultsFile, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line))
  : [];
rmSync(resultsFile, { force: true });
// A partial run (some suites) goes to bench/results/ (not committed), leaving RESULTS.md whole.
const directory = only.length > 0 ? path.join(__dirname, "results") : __dirname;
const run = {
  entries,
  suites: ran,
  machine: machine(loadBefore),
  versions: versions(),
  date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
};
// The raw figures, so that RESULTS.md and the charts can be written again without a new run
// (node bench/report/render.js).
mkdirSync(directory, { recursive: true });
writeFileSync(path.join(directory, "RESULTS.json"), JSON.stringify(run, null, 1) + "\n");
const charts = writeResults({ directory, ...run });
console.log(`\nwrote ${path.relative(root, path.join(directory, "RESULTS.md"))} and ${charts.length} charts (${charts.map((file) => path.relative(root, file)).join(", ")})`);
process.exit(failed > 0 ? 1 : 0);
