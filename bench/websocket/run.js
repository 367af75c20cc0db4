// bench/websocket: @tornado/websocket against raw `ws` and Python Tornado, in one run.
//   echo       50 connections, 32-byte text messages, 8 in flight per connection: echoes/s
//   broadcast  5,000 connections, the server sends 20 32-byte messages to each: deliveries/s
//   idle       10,000 idle connections: server RSS (ours and raw ws only)
// Usage: node bench/websocket/run.js [--seconds 5] [--rounds 1] [--impls tornado,ws,python]
//        [--idle 10000] [--broadcast 5000] [--scenarios echo,broadcast,idle]
// Requires built packages (`npx tsc -b` in packages/websocket). The load generator is this
// process, on `ws` clients; each server runs in its own process. Rounds alternate servers so
// that noise from other processes falls on all alike; the median is reported.
"use strict";
const path = require("node:path");
const { fork, spawn } = require("node:child_process");
const WebSocket = require("ws");
const { hasPythonTornado, record, recordMissing } = require("../report/record");

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
}
const SECONDS = Number(option("seconds", "5"));
const ROUNDS = Number(option("rounds", "1"));
const PYTHON_MISSING = hasPythonTornado() ? null : "no Tornado in /usr/bin/python3 (apt-get install python3-tornado)";
const IMPLS = option("impls", "tornado,ws,python")
  .split(",")
  .filter((impl) => impl !== "python" || PYTHON_MISSING === null);
const DISPLAY = { tornado: "@tornado/websocket", ws: "ws", python: "Python Tornado" };
const SCENARIOS = option("scenarios", "echo,broadcast,idle").split(",");
const ECHO_CONNECTIONS = Number(option("connections", "50"));
const IN_FLIGHT = 8;
const BROADCAST_CONNECTIONS = Number(option("broadcast", "5000"));
const BROADCAST_MESSAGES = 20;
const IDLE_CONNECTIONS = Number(option("idle", "10000"));
const MESSAGE = "x".repeat(32);
const PYTHON = "/usr/bin/python3";

function startServer(impl) {
  if (impl === "python") {
    const child = spawn(PYTHON, [path.join(__dirname, "tornado_bench.py")], { stdio: ["ignore", "pipe", "inherit"] });
    return new Promise((resolve, reject) => {
      child.stdout.once("data", (data) => resolve({ child, port: Number(String(data).trim()) }));
      child.once("exit", (code) => reject(new Error(`python server exited with ${code}`)));
    });
  }
  const child = fork(path.join(__dirname, "server.js"), [impl], { stdio: "inherit", execArgv: ["--expose-gc"] });
  return new Promise((resolve, reject) => {
    child.once("message", ({ port }) => resolve({ child, port }));
    child.once("exit", (code) => reject(new Error(`${impl} server exited with ${code}`)));
  });
}

function stopServer({ child }) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", resolve);
    child.kill();
  });
}

function serverRss(child) {
  return new Promise((resolve) => {
    child.once("message", (message) => resolve(message.rss));
    child.send("rss");
  });
}

function open(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on("error", reject);
    ws.once("open", () => resolve(ws));
  });
}

async function openMany(url, count, batch = 250) {
  const sockets = [];
  for (let i = 0; i < count; i += batch) {
    const n = Math.min(batch, count - i);
    sockets.push(...(await Promise.all(Array.from({ length: n }, () => open(url)))));
  }
  return sockets;
}

async function closeAll(sockets) {
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once("close", resolve);
          ws.terminate();
        }),
    ),
  );
}

async function echo(port, pid) {
  const sockets = await openMany(`ws://127.0.0.1:${port}/echo`, ECHO_CONNECTIONS);
  let count = 0;
  let running = true;
  for (const ws of sockets) {
    ws.on("message", () => {
      count++;
      if (running) ws.send(MESSAGE);
    });
  }
  // Warm up for a second, then measure.
  for (const ws of sockets) for (let i = 0; i < IN_FLIGHT; i++) ws.send(MESSAGE);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const start = process.hrtime.bigint();
  const startCount = count;
  const startCpu = cpuSeconds(pid);
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  const messages = count - startCount;
  const cpu = cpuSeconds(pid) - startCpu;
  running = false;
  await closeAll(sockets);
  return { rate: messages / elapsed, cpuPerMessage: (cpu / messages) * 1e6 };
}

async function broadcastRun(port, pid) {
  const sockets = await openMany(`ws://127.0.0.1:${port}/bcast`, BROADCAST_CONNECTIONS);
  const controller = await open(`ws://127.0.0.1:${port}/bcast`);
  const expected = (BROADCAST_CONNECTIONS + 1) * BROADCAST_MESSAGES;
  const rates = [];
  const cpus = [];
  for (let repeat = 0; repeat < 3; repeat++) {
    const startCpu = cpuSeconds(pid);
    let received = 0;
    const done = new Promise((resolve) => {
      const onMessage = () => {
        if (++received === expected) resolve();
      };
      for (const ws of sockets) ws.on("message", onMessage);
      controller.on("message", onMessage);
    });
    const start = process.hrtime.bigint();
    controller.send(`go ${BROADCAST_MESSAGES} 32`);
    await done;
    rates.push(expected / (Number(process.hrtime.bigint() - start) / 1e9));
    cpus.push(((cpuSeconds(pid) - startCpu) / expected) * 1e6);
    for (const ws of sockets) ws.removeAllListeners("message");
    controller.removeAllListeners("message");
  }
  await closeAll([...sockets, controller]);
  return { rate: median(rates), cpuPerMessage: median(cpus) };
}

async function idle(server) {
  const before = await serverRss(server.child);
  const sockets = await openMany(`ws://127.0.0.1:${server.port}/bcast`, IDLE_CONNECTIONS);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const held = await serverRss(server.child);
  await closeAll(sockets);
  return { before, held };
}

/** CPU seconds (user + system) the process has used, from /proc (any server, Python included). */
function cpuSeconds(pid) {
  const fields = require("node:fs").readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const mib = (bytes) => (bytes / 1048576).toFixed(1);

async function main() {
  const results = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const scenario of SCENARIOS) {
      const impls = scenario === "idle" ? IMPLS.filter((impl) => impl !== "python") : IMPLS;
      const order = round % 2 === 0 ? impls : [...impls].reverse();
      for (const impl of order) {
        const server = await startServer(impl);
        try {
          let value;
          if (scenario === "echo") value = await echo(server.port, server.child.pid);
          else if (scenario === "broadcast") value = await broadcastRun(server.port, server.child.pid);
          else value = await idle(server);
          ((results[scenario] ??= {})[impl] ??= []).push(value);
          const shown =
            scenario === "idle"
              ? `RSS ${mib(value.before)} -> ${mib(value.held)} MiB`
              : `${Math.round(value.rate)} msgs/s, server CPU ${value.cpuPerMessage.toFixed(2)} us/msg`;
          console.error(`round ${round + 1} ${scenario} ${impl}: ${shown}`);
        } finally {
          await stopServer(server);
        }
      }
    }
  }
  console.log(`\nbench/websocket (${SECONDS}s, ${ROUNDS} round(s); medians)\n`);
  for (const scenario of SCENARIOS) {
    const table = results[scenario] ?? {};
    if (scenario === "idle") {
      const pick = (impl) => {
        const runs = table[impl] ?? [];
        return runs.length === 0 ? null : runs.sort((a, b) => a.held - b.held)[Math.floor(runs.length / 2)];
      };
      const ours = pick("tornado");
      const raw = pick("ws");
      console.log(`idle ${IDLE_CONNECTIONS} connections, server RSS (MiB): before -> held`);
      for (const [impl, value] of [["@tornado/websocket", ours], ["ws", raw]]) {
        if (value) console.log(`  ${impl.padEnd(20)} ${mib(value.before)} -> ${mib(value.held)} (+${mib(value.held - value.before)})`);
      }
      if (ours && raw) console.log(`  ratio held RSS ours/ws: ${(ours.held / raw.held).toFixed(2)} (budget < 1.2); growth ratio ${((ours.held - ours.before) / (raw.held - raw.before)).toFixed(2)}`);
      for (const [impl, value] of [["tornado", ours], ["ws", raw]]) {
        if (value) {
          record({
            suite: "websocket", scenario: `${IDLE_CONNECTIONS} idle connections (RSS)`, impl: DISPLAY[impl], ours: impl === "tornado",
            reference: impl === "ws", unit: "msgs/s", rate: null, rssMiB: value.held / 1048576,
          });
        }
      }
      continue;
    }
    const label = scenario === "echo" ? `echo, ${ECHO_CONNECTIONS} connections, 32-byte messages` : `broadcast to ${BROADCAST_CONNECTIONS} connections, 32-byte messages`;
    console.log(`${label}: msgs/s (median), server CPU us per message (median)`);
    const rate = (impl) => median(table[impl].map((value) => value.rate));
    const cpu = (impl) => median(table[impl].map((value) => value.cpuPerMessage));
    for (const impl of IMPLS) {
      if (!table[impl]) continue;
      const name = impl === "tornado" ? "@tornado/websocket" : impl === "python" ? "Python Tornado 6.2" : "ws";
      console.log(`  ${name.padEnd(20)} ${String(Math.round(rate(impl))).padStart(8)}   ${cpu(impl).toFixed(2)} us`);
    }
    const scenarioLabel = scenario === "echo" ? `echo, ${ECHO_CONNECTIONS} connections, 32-byte messages` : `broadcast to ${BROADCAST_CONNECTIONS} connections, 32-byte messages`;
    for (const impl of IMPLS) {
      if (!table[impl]) continue;
      record({
        suite: "websocket", scenario: scenarioLabel, impl: DISPLAY[impl], ours: impl === "tornado", reference: impl === "ws",
        unit: "msgs/s", rate: rate(impl), cpu: cpu(impl), cpuUnit: "µs/msg (server)",
      });
    }
    if (PYTHON_MISSING) recordMissing({ suite: "websocket", scenario: scenarioLabel, impl: DISPLAY.python, unit: "msgs/s" }, PYTHON_MISSING);
    if (table.tornado && table.ws) {
      console.log(
        `  ratio ours/ws: throughput ${(rate("tornado") / rate("ws")).toFixed(2)}${scenario === "echo" ? " (budget >= 0.9)" : ""}, ` +
          `CPU per message ${(cpu("tornado") / cpu("ws")).toFixed(2)}`,
      );
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
