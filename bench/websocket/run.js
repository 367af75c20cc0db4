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

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
}
const SECONDS = Number(option("seconds", "5"));
const ROUNDS = Number(option("rounds", "1"));
const IMPLS = option("impls", "tornado,ws,python").split(",");
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

async function echo(port) {
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
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  const rate = (count - startCount) / elapsed;
  running = false;
  await closeAll(sockets);
  return rate;
}

async function broadcastRun(port) {
  const sockets = await openMany(`ws://127.0.0.1:${port}/bcast`, BROADCAST_CONNECTIONS);
  const controller = await open(`ws://127.0.0.1:${port}/bcast`);
  const expected = (BROADCAST_CONNECTIONS + 1) * BROADCAST_MESSAGES;
  const rates = [];
  for (let repeat = 0; repeat < 3; repeat++) {
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
    for (const ws of sockets) ws.removeAllListeners("message");
    controller.removeAllListeners("message");
  }
  await closeAll([...sockets, controller]);
  return median(rates);
}

async function idle(server) {
  const before = await serverRss(server.child);
  const sockets = await openMany(`ws://127.0.0.1:${server.port}/bcast`, IDLE_CONNECTIONS);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const held = await serverRss(server.child);
  await closeAll(sockets);
  return { before, held };
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
          if (scenario === "echo") value = await echo(server.port);
          else if (scenario === "broadcast") value = await broadcastRun(server.port);
          else value = await idle(server);
          ((results[scenario] ??= {})[impl] ??= []).push(value);
          const shown = scenario === "idle" ? `RSS ${mib(value.before)} -> ${mib(value.held)} MiB` : `${Math.round(value)} msgs/s`;
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
      continue;
    }
    const label = scenario === "echo" ? `echo, ${ECHO_CONNECTIONS} connections, 32-byte messages` : `broadcast to ${BROADCAST_CONNECTIONS} connections, 32-byte messages`;
    console.log(`${label} (msgs/s)`);
    for (const impl of IMPLS) {
      if (table[impl]) console.log(`  ${(impl === "tornado" ? "@tornado/websocket" : impl === "python" ? "Python Tornado 6.2" : "ws").padEnd(20)} ${Math.round(median(table[impl]))}`);
    }
    if (table.tornado && table.ws) {
      console.log(`  ratio ours/ws: ${(median(table.tornado) / median(table.ws)).toFixed(2)}${scenario === "echo" ? " (budget >= 0.9)" : ""}`);
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
