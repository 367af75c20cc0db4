// bench/web: @tornado/web against fastify, express, hono (@hono/node-server) and Python
// Tornado, driven by wrk, in one run. Scenarios:
//   hello     GET /          text body, Application + RequestHandler
//   json      GET /json      write(object) -> JSON
//   param1    GET /users/42  path parameter, 1-route table
//   param200  GET /users/42  the same route last in a 200-route table
// Usage: node bench/web/run.js [--seconds 3] [--rounds 1] [--connections 50]
//        [--frameworks tornado,fastify,express,hono,python,container] [--baseline <path to a web build>]
// "container" is the express app behind @tornado/web's NodeContainer (not in the default list).
// --baseline adds "baseline": the same tornado server on another build of @tornado/web (its
// dist/index.js), so that two builds are compared in one run, on one machine state.
// Requires built packages (`npx tsc -b` in packages/web) and wrk. Each server runs in its
// own process; wrk uses one thread. Rounds alternate frameworks so that noise from other
// processes falls on all alike; the median req/s is reported.
"use strict";
const http = require("node:http");
const path = require("node:path");
const { readFileSync } = require("node:fs");
const { execFile, fork, spawn, spawnSync } = require("node:child_process");
const { hasPythonTornado, hasWrk, record, recordMissing, wrkPercentiles } = require("../report/record");

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
}
const SECONDS = Number(option("seconds", "3"));
const ROUNDS = Number(option("rounds", "1"));
const CONNECTIONS = Number(option("connections", "50"));
const PYTHON_MISSING = hasPythonTornado() ? null : "no Tornado in /usr/bin/python3 (apt-get install python3-tornado)";
const BASELINE = option("baseline", null);
const FRAMEWORKS = option("frameworks", "tornado,fastify,express,hono,python")
  .split(",")
  .filter((framework) => framework !== "python" || PYTHON_MISSING === null);
if (BASELINE !== null && !FRAMEWORKS.includes("baseline")) FRAMEWORKS.splice(1, 0, "baseline");
const PYTHON = "/usr/bin/python3";
const DISPLAY = {
  tornado: "@tornado/web",
  fastify: "fastify",
  express: "express",
  hono: "hono",
  container: "express in NodeContainer",
  python: "Python Tornado",
};
const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/** CPU seconds (user + system) and RSS (MiB) of a process, from /proc. */
function usage(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;
  return { cpu: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS, rss };
}

const SCENARIOS = [
  { name: "hello", table: "basic", path: "/", check: (body) => body === "Hello, World!" },
  { name: "json", table: "basic", path: "/json", check: (body) => JSON.parse(body).message === "Hello, World!" },
  { name: "param1", table: "param1", path: "/users/42", check: (body) => JSON.parse(body).id === "42" },
  { name: "param200", table: "param200", path: "/users/42", check: (body) => JSON.parse(body).id === "42" },
];

// Server on CPU 0, wrk on CPU 1 (as bench/http does), so that the two do not steal each
// other's core and the ratios hold still between runs.
const HAS_TASKSET = spawnSync("which", ["taskset"]).status === 0;

function pinServer(pid) {
  if (HAS_TASKSET) spawnSync("taskset", ["-a", "-pc", "0", String(pid)], { stdio: "ignore" });
}

function startServer(framework, table) {
  if (framework === "python") {
    const child = spawn(PYTHON, [path.join(__dirname, "tornado_bench.py"), table], { stdio: ["ignore", "pipe", "inherit"] });
    return new Promise((resolve, reject) => {
      child.stdout.once("data", (data) => {
        pinServer(child.pid);
        resolve({ child, port: Number(String(data).trim()) });
      });
      child.once("exit", (code) => reject(new Error(`python server exited with ${code}`)));
    });
  }
  const env = framework === "baseline" ? { ...process.env, TORNADO_WEB: path.resolve(BASELINE) } : process.env;
  const child = fork(path.join(__dirname, "server.js"), [framework === "baseline" ? "tornado" : framework, table], { stdio: "inherit", env });
  return new Promise((resolve, reject) => {
    child.once("message", ({ port }) => {
      pinServer(child.pid);
      resolve({ child, port });
    });
    child.once("exit", (code) => reject(new Error(`${framework} server exited with ${code}`)));
  });
}

function get(port, urlPath) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: urlPath, agent: false }, (response) => {
        let body = "";
        response.on("data", (chunk) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode, body }));
      })
      .on("error", reject);
  });
}

function wrk(port, urlPath, seconds, pid) {
  const before = pid ? usage(pid).cpu : 0;
  return new Promise((resolve, reject) => {
    const args = ["-t1", `-c${CONNECTIONS}`, `-d${seconds}s`, "--latency", `http://127.0.0.1:${port}${urlPath}`];
    const [command, commandArgs] = HAS_TASKSET ? ["taskset", ["-c", "1", "wrk", ...args]] : ["wrk", args];
    execFile(command, commandArgs, (error, stdout) => {
      if (error) return reject(error);
      const match = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
      if (!match) return reject(new Error(`cannot parse wrk output:\n${stdout}`));
      if (/Non-2xx/.test(stdout) || /Socket errors/.test(stdout)) console.error(`  warning (${port}${urlPath}): ${stdout.split("\n").filter((l) => /Non-2xx|Socket errors/.test(l)).join("; ")}`);
      const requests = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? NaN);
      const after = pid ? usage(pid) : null;
      const trouble = stdout.split("\n").filter((line) => /Non-2xx|Socket errors/.test(line)).map((line) => line.trim());
      resolve({
        note: trouble.length > 0 ? `wrk: ${trouble.join("; ")}` : undefined,
        rate: Number(match[1]),
        ...wrkPercentiles(stdout),
        cpu: after ? ((after.cpu - before) / requests) * 1e6 : null,
        rss: after ? after.rss : null,
      });
    });
  });
}

function scenarioLabel(scenario) {
  return `${scenario.name} (GET ${scenario.path}${scenario.table === "param200" ? ", 200 routes" : ""})`;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main() {
  if (!hasWrk()) {
    console.log("wrk is not installed (apt-get install wrk): every framework is recorded as missing");
    for (const scenario of SCENARIOS) {
      for (const framework of Object.keys(DISPLAY).filter((name) => name !== "container" || FRAMEWORKS.includes(name))) {
        recordMissing(
          { suite: "web", scenario: scenarioLabel(scenario), impl: DISPLAY[framework], reference: framework === "fastify", unit: "req/s" },
          "wrk is not installed (apt-get install wrk)",
        );
      }
    }
    return;
  }
  const results = {};
  const runs = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const scenario of SCENARIOS) {
      const order = round % 2 === 0 ? FRAMEWORKS : [...FRAMEWORKS].reverse();
      for (const framework of order) {
        const { child, port } = await startServer(framework, scenario.table);
        try {
          const response = await get(port, scenario.path);
          if (response.status !== 200 || !scenario.check(response.body)) {
            throw new Error(`${framework} ${scenario.name}: bad response ${response.status} ${response.body}`);
          }
          await wrk(port, scenario.path, 1); // warm-up (JIT, connections)
          const run = await wrk(port, scenario.path, SECONDS, child.pid);
          ((results[scenario.name] ??= {})[framework] ??= []).push(run.rate);
          ((runs[scenario.name] ??= {})[framework] ??= []).push(run);
        } finally {
          child.kill();
        }
      }
    }
  }
  const rows = [];
  for (const scenario of SCENARIOS) {
    const row = { scenario: scenario.name };
    for (const framework of FRAMEWORKS) {
      const rates = results[scenario.name]?.[framework];
      row[framework] = rates ? Math.round(median(rates)) : "-";
    }
    if (typeof row.tornado === "number" && typeof row.fastify === "number") row["tornado/fastify"] = (row.tornado / row.fastify).toFixed(2);
    if (typeof row.tornado === "number" && typeof row.python === "number") row["tornado/python"] = (row.tornado / row.python).toFixed(2);
    if (typeof row.tornado === "number" && typeof row.baseline === "number") row["tornado/baseline"] = (row.tornado / row.baseline).toFixed(2);
    if (typeof row.container === "number" && typeof row.express === "number") row["container/express"] = (row.container / row.express).toFixed(2);
    rows.push(row);
  }
  for (const scenario of SCENARIOS) {
    const label = scenarioLabel(scenario);
    for (const framework of FRAMEWORKS) {
      const list = runs[scenario.name]?.[framework];
      if (!list) continue;
      const run = [...list].sort((a, b) => a.rate - b.rate)[Math.floor(list.length / 2)];
      record({
        suite: "web", scenario: label, impl: DISPLAY[framework], ours: framework === "tornado", reference: framework === "fastify",
        unit: "req/s", rate: run.rate, p50Ms: run.p50Ms, p99Ms: run.p99Ms, rssMiB: run.rss, cpu: run.cpu, cpuUnit: "µs/req (server)",
        ...(run.note ? { note: run.note } : {}),
      });
    }
    if (PYTHON_MISSING) recordMissing({ suite: "web", scenario: label, impl: DISPLAY.python, unit: "req/s" }, PYTHON_MISSING);
  }
  console.log(`\nreq/s, median of ${ROUNDS} round(s) of ${SECONDS}s, wrk -t1 -c${CONNECTIONS}`);
  console.table(rows);
  // Server CPU per request: steadier than req/s on a shared machine.
  const cpuRows = SCENARIOS.map((scenario) => {
    const row = { scenario: scenario.name };
    for (const framework of FRAMEWORKS) {
      const cpu = (runs[scenario.name]?.[framework] ?? []).map((run) => run.cpu).filter((value) => value !== null);
      row[framework] = cpu.length > 0 ? Number(median(cpu).toFixed(1)) : "-";
    }
    return row;
  });
  console.log("server CPU µs per request (user + system), median");
  console.table(cpuRows);
  const param1 = median(results.param1?.tornado ?? [NaN]);
  const param200 = median(results.param200?.tornado ?? [NaN]);
  if (Number.isFinite(param1) && Number.isFinite(param200)) {
    console.log(`@tornado/web 200-route lookup cost vs 1-route: ${(((param1 - param200) / param1) * 100).toFixed(1)}% (budget < 10%)`);
  }
  for (const name of ["hello", "json"]) {
    const row = rows.find((r) => r.scenario === name);
    if (row?.["tornado/fastify"]) console.log(`${name}: tornado/fastify = ${row["tornado/fastify"]} (budget >= 1.10)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
