// bench/pubsub: fan-out through Redis across two server processes, @tornado/websocket's
// WebSocketGroup + @tornado/pubsub's RedisBroker against socket.io + @socket.io/redis-adapter,
// in one run, on one redis-server (started here on a free loopback port, persistence off).
//   fanout  1,000 connections (500 per server process), 32-byte messages; one publisher per
//           process keeps 64 messages in flight (acknowledged by a receiver on the other
//           process): deliveries/s to the 1,000, p99 delivery latency, server CPU
//   latency the same 1,000 connections at a fixed rate (--rate, default 20 messages/s from each
//           publisher): p50 and p99 delivery latency without queueing
//   slow    40 readers and 10 stalled connections (never read), over 2 processes, 16 KiB
//           messages at a fixed rate (--slow-rate, 100 messages/s from each publisher: 3.2 MB/s
//           for each connection): the readers' latency and the growth of server RSS, against the
//           same run with none stalled; ours with the group's two policies (close, drop)
// After each run every reader must have received every message sent, exactly (a check on the
// counting; stalled readers excepted).
// Usage: node bench/pubsub/run.js [--seconds 5] [--slow-seconds 10] [--rounds 1]
//        [--impls tornado,socketio] [--connections 1000] [--scenarios fanout,latency,slow] [--rate 20]
//        [--slow-rate 100]
// The load generator is this process: receivers are raw sockets with a minimal frame reader
// (the same for both servers), so that its cost stays well below the servers'. Each server
// process is forked; rounds alternate the order. 127.0.0.1 only; every run is bounded in time.
"use strict";
const path = require("node:path");
const net = require("node:net");
const crypto = require("node:crypto");
const { fork, spawn } = require("node:child_process");
const fs = require("node:fs");
const WebSocket = require("ws");

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
}
const SECONDS = Number(option("seconds", "5"));
const ROUNDS = Number(option("rounds", "1"));
const IMPLS = option("impls", "tornado,socketio").split(",");
const SCENARIOS = option("scenarios", "fanout,latency,slow").split(",");
const RATE = Number(option("rate", "20"));
const CONNECTIONS = Number(option("connections", "1000"));
const WINDOW = 64;
const SLOW_SECONDS = Number(option("slow-seconds", "10"));
const SLOW_RATE = Number(option("slow-rate", "100"));
const SLOW_SIZE = 16384;
const REDIS_SERVER = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].find((file) => fs.existsSync(file));
const NAMES = { tornado: "@tornado (group+broker)", "tornado-drop": "@tornado, policy drop", socketio: "socket.io + redis-adapter" };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const nowMicros = () => Math.round(performance.now() * 1000);

// ------------------------------------------------------------------ processes

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startRedis() {
  const port = await freePort();
  const child = spawn(REDIS_SERVER, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      if (output.includes("Ready to accept connections")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  child.stdout.resume();
  return { child, url: `redis://127.0.0.1:${port}` };
}

function startServer(impl, redisUrl) {
  const [name, policy] = impl === "tornado-drop" ? ["tornado", "drop"] : [impl, "close"];
  const child = fork(path.join(__dirname, "server.js"), [name, redisUrl, policy], { stdio: "inherit", execArgv: ["--expose-gc"] });
  return new Promise((resolve, reject) => {
    child.once("message", ({ port }) => resolve({ child, port, impl: name }));
    child.once("exit", (code) => reject(new Error(`${impl} server exited with ${code}`)));
  });
}

function stopProcess(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", resolve);
    child.kill();
  });
}

function serverReport(child) {
  return new Promise((resolve) => {
    child.once("message", resolve);
    child.send("rss");
  });
}

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

// ------------------------------------------------------------------ messages

// A message: publisher (1 digit), sequence (9 digits), send time in µs (13 digits), padding.
function makeMessage(publisher, sequence, size) {
  const head = `${publisher}${String(sequence).padStart(9, "0")}${String(nowMicros()).padStart(13, "0")}`;
  return head + "x".repeat(size - head.length);
}

function readDigits(buffer, start, count) {
  let value = 0;
  for (let i = start; i < start + count; i++) value = value * 10 + (buffer[i] - 48);
  return value;
}

/** Delivery latencies in 10 µs buckets, up to 10 s. */
class Histogram {
  constructor() {
    this.buckets = new Uint32Array(1_000_001);
    this.count = 0;
  }
  add(micros) {
    this.buckets[Math.min(this.buckets.length - 1, Math.max(0, Math.floor(micros / 10)))]++;
    this.count++;
  }
  percentile(p) {
    const target = Math.ceil(this.count * p);
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i];
      if (seen >= target) return (i * 10) / 1000; // ms
    }
    return NaN;
  }
}

// ------------------------------------------------------------------ clients

const SOCKETIO_PREFIX = Buffer.byteLength('42["m","');

/**
 * A receiver on a raw socket: performs the WebSocket handshake (and socket.io's namespace
 * connect), then reads frames with a minimal parser, counting deliveries and their latency.
 */
class Receiver {
  constructor(state, observer) {
    this.state = state;
    this.observer = observer; // a publisher id whose sequence this receiver reports, or -1
    this.pending = null;
    this.ready = false;
    this.socket = null;
    this.total = 0; // every message received since ready, measured or not
  }

  open(port, impl) {
    const socket = net.connect(port, "127.0.0.1");
    this.socket = socket;
    socket.setNoDelay(true);
    const key = crypto.randomBytes(16).toString("base64");
    const target = impl === "socketio" ? "/socket.io/?EIO=4&transport=websocket" : "/room";
    socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    this.impl = impl;
    return new Promise((resolve, reject) => {
      this.onReady = resolve;
      socket.once("error", reject);
      let head = Buffer.alloc(0);
      const onHead = (chunk) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf("\r\n\r\n");
        if (end < 0) return;
        if (!head.subarray(0, 12).toString().includes("101")) return reject(new Error(head.toString()));
        socket.off("data", onHead);
        socket.on("data", (data) => this.onData(data));
        if (impl !== "socketio") this.markReady();
        if (end + 4 < head.length) this.onData(head.subarray(end + 4));
      };
      socket.on("data", onHead);
    });
  }

  markReady() {
    this.ready = true;
    this.onReady();
  }

  onData(data) {
    if (this.pending !== null) {
      data = Buffer.concat([this.pending, data]);
      this.pending = null;
    }
    let offset = 0;
    while (offset + 2 <= data.length) {
      let length = data[offset + 1] & 0x7f;
      let start = offset + 2;
      if (length === 126) {
        if (offset + 4 > data.length) break;
        length = data.readUInt16BE(offset + 2);
        start = offset + 4;
      } else if (length === 127) {
        if (offset + 10 > data.length) break;
        length = Number(data.readBigUInt64BE(offset + 2));
        start = offset + 10;
      }
      if (start + length > data.length) break;
      this.onFrame(data, start, length);
      offset = start + length;
    }
    if (offset < data.length) this.pending = data.subarray(offset);
  }

  onFrame(data, start, length) {
    if (!this.ready) {
      // socket.io: "0{...}" is engine.io's open; answer with a namespace connect, "40".
      if (data[start] === 0x30 && length > 1 && data[start + 1] === 0x7b) this.send("40");
      else if (data[start] === 0x34 && data[start + 1] === 0x30) this.markReady();
      return;
    }
    let at = start;
    if (this.impl === "socketio") {
      if (data[start] !== 0x34 || data[start + 1] !== 0x32) return; // not an event ("42")
      at = start + SOCKETIO_PREFIX;
    }
    const state = this.state;
    this.total++;
    if (state.measuring) {
      state.delivered++;
      state.histogram.add(nowMicros() - readDigits(data, at + 10, 13));
    }
    const publisher = data[at] - 48;
    if (publisher === this.observer) {
      state.observed[publisher] = readDigits(data, at + 1, 9);
      state.pump(publisher);
    }
  }

  /** A masked text frame (client to server). */
  send(text) {
    const payload = Buffer.from(text);
    const mask = crypto.randomBytes(4);
    const frame = Buffer.alloc(6 + payload.length);
    frame[0] = 0x81;
    frame[1] = 0x80 | payload.length;
    mask.copy(frame, 2);
    for (let i = 0; i < payload.length; i++) frame[6 + i] = payload[i] ^ mask[i % 4];
    this.socket.write(frame);
  }
}

async function openPublisher(port, impl) {
  const url = impl === "socketio" ? `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket` : `ws://127.0.0.1:${port}/room`;
  const ws = new WebSocket(url, { perMessageDeflate: false });
  await new Promise((resolve, reject) => {
    ws.once("error", reject);
    if (impl !== "socketio") return ws.once("open", resolve);
    ws.on("message", function onMessage(data) {
      const text = String(data);
      if (text.startsWith("0{")) ws.send("40");
      else if (text.startsWith("40")) {
        ws.off("message", onMessage);
        resolve();
      }
    });
  });
  return ws;
}

async function openMany(count, open, batch = 100) {
  const opened = [];
  for (let i = 0; i < count; i += batch) {
    opened.push(...(await Promise.all(Array.from({ length: Math.min(batch, count - i) }, (_, j) => open(i + j)))));
  }
  return opened;
}

// ------------------------------------------------------------------ scenarios

/**
 * Two server processes, `perServer` receivers on each (`stalled` of them never read), one
 * publisher per process; measures the deliveries to the receivers that read.
 */
async function run(impl, redisUrl, { perServer, size, stalled = 0, seconds = SECONDS, rate = 0 }) {
  const servers = [await startServer(impl, redisUrl), await startServer(impl, redisUrl)];
  const wire = servers[0].impl;
  const state = {
    measuring: false,
    delivered: 0,
    histogram: new Histogram(),
    observed: [0, 0],
    sent: [0, 0],
    publishers: [],
    pump(publisher) {
      const ws = this.publishers[publisher];
      while (this.running && this.sent[publisher] - this.observed[publisher] < WINDOW) {
        const message = makeMessage(publisher, ++this.sent[publisher], size);
        ws.send(wire === "socketio" ? `42["m","${message}"]` : message);
      }
    },
    running: false,
  };
  try {
    const receivers = [];
    for (const [s, server] of servers.entries()) {
      // The first receiver of each server observes the other server's publisher.
      receivers.push(
        ...(await openMany(perServer, async (i) => {
          const receiver = new Receiver(state, i === 0 ? 1 - s : -1);
          await receiver.open(server.port, wire);
          return receiver;
        })),
      );
    }
    const stalledReceivers = [];
    for (const server of servers) {
      for (let i = 0; i < stalled; i++) {
        const receiver = new Receiver(state, -1);
        await receiver.open(server.port, wire);
        receiver.socket.pause(); // never reads again
        receiver.socket.removeAllListeners("data");
        stalledReceivers.push(receiver);
      }
    }
    state.publishers = await Promise.all(servers.map((server) => openPublisher(server.port, wire)));
    const rssBefore = (await Promise.all(servers.map((server) => serverReport(server.child)))).reduce((sum, report) => sum + report.rss, 0);
    state.running = true;
    let watchdog;
    if (rate > 0) {
      // A fixed rate per publisher, well under what either server can do: latency without queueing.
      state.pump = () => undefined;
      watchdog = setInterval(() => {
        for (const publisher of [0, 1]) {
          const message = makeMessage(publisher, ++state.sent[publisher], size);
          state.publishers[publisher].send(wire === "socketio" ? `42["m","${message}"]` : message);
        }
      }, 1000 / rate);
    } else {
      state.pump(0);
      state.pump(1);
      // A watchdog: a lost acknowledgement would stall a window.
      watchdog = setInterval(() => {
        state.observed[0] = Math.max(state.observed[0], state.sent[0] - WINDOW);
        state.observed[1] = Math.max(state.observed[1], state.sent[1] - WINDOW);
        state.pump(0);
        state.pump(1);
      }, 500);
    }
    await sleep(1000); // warm-up
    state.measuring = true;
    const cpuStart = servers.map((server) => cpuSeconds(server.child.pid));
    const selfStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    await sleep(seconds * 1000);
    const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = servers.reduce((sum, server, i) => sum + cpuSeconds(server.child.pid) - cpuStart[i], 0);
    const self = process.cpuUsage(selfStart);
    state.measuring = false;
    state.running = false;
    clearInterval(watchdog);
    // Every reader must end with every message sent, exactly: a check on the counting itself.
    const expected = () => state.sent[0] + state.sent[1];
    const deadline = Date.now() + 10_000;
    while (receivers.some((receiver) => receiver.total < expected()) && Date.now() < deadline) await sleep(50);
    const incomplete = receivers.filter((receiver) => receiver.total !== expected()).length;
    const reports = await Promise.all(servers.map((server) => serverReport(server.child)));
    const rssAfter = reports.reduce((sum, report) => sum + report.rss, 0);
    for (const receiver of [...receivers, ...stalledReceivers]) receiver.socket.destroy();
    for (const ws of state.publishers) ws.terminate();
    return {
      rate: state.delivered / elapsed,
      p99: state.histogram.percentile(0.99),
      p50: state.histogram.percentile(0.5),
      cpuPerMessage: (cpu / state.delivered) * 1e6,
      cpuPercent: (cpu / elapsed) * 100,
      rssBefore,
      rssAfter,
      incomplete,
      loadCpuPercent: ((self.user + self.system) / 1e6 / elapsed) * 100,
      groupStats: reports.map((report) => report.stats),
    };
  } finally {
    await Promise.all(servers.map((server) => stopProcess(server.child)));
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mib = (bytes) => (bytes / 1048576).toFixed(1);

async function main() {
  if (!REDIS_SERVER) {
    console.log("bench/pubsub skipped: redis-server is not installed (apt-get install redis-server)");
    return;
  }
  const redis = await startRedis();
  const results = {};
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const scenario of SCENARIOS) {
        const impls = scenario === "slow" ? IMPLS.flatMap((impl) => (impl === "tornado" ? ["tornado", "tornado-drop"] : [impl])) : IMPLS;
        const order = round % 2 === 0 ? impls : [...impls].reverse();
        for (const impl of order) {
          const runs =
            scenario === "fanout"
              ? { fanout: { perServer: CONNECTIONS / 2, size: 32 } }
              : scenario === "latency"
                ? { latency: { perServer: CONNECTIONS / 2, size: 32, rate: RATE } }
                : {
                  baseline: { perServer: 20, size: SLOW_SIZE, seconds: SLOW_SECONDS, rate: SLOW_RATE },
                  stalled: { perServer: 20, size: SLOW_SIZE, stalled: 5, seconds: SLOW_SECONDS, rate: SLOW_RATE },
                };
          for (const [name, options] of Object.entries(runs)) {
            const value = await run(impl, redis.url, options);
            ((results[`${scenario}/${name}`] ??= {})[impl] ??= []).push(value);
            console.error(
              `round ${round + 1} ${scenario}/${name} ${impl}: ${Math.round(value.rate)} msgs/s, p99 ${value.p99.toFixed(2)} ms, ` +
                `readers missing messages or with extra ones: ${value.incomplete}, load generator CPU ${value.loadCpuPercent.toFixed(0)}%, ` +
                `server CPU ${value.cpuPerMessage.toFixed(2)} us/msg (${value.cpuPercent.toFixed(0)}%), RSS ${mib(value.rssBefore)} -> ${mib(value.rssAfter)} MiB` +
                (value.groupStats.some((stats) => stats.slowConsumersClosed || stats.droppedMessages) ? ` ${JSON.stringify(value.groupStats)}` : ""),
            );
          }
        }
      }
    }
  } finally {
    await stopProcess(redis.child);
  }

  console.log(`\nbench/pubsub (${SECONDS}s per run, ${ROUNDS} round(s); medians; both server processes' CPU)\n`);
  const pick = (key, impl, field) => median((results[key]?.[impl] ?? []).map((value) => value[field]));
  if (results["fanout/fanout"]) {
    console.log(`fan-out to ${CONNECTIONS} connections over 2 processes through Redis, 32-byte messages`);
    console.log(`  ${"".padEnd(28)} ${"msgs/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"CPU us/msg".padStart(11)}`);
    for (const impl of IMPLS) {
      if (!results["fanout/fanout"][impl]) continue;
      console.log(
        `  ${NAMES[impl].padEnd(28)} ${String(Math.round(pick("fanout/fanout", impl, "rate"))).padStart(9)} ${pick("fanout/fanout", impl, "p50").toFixed(2).padStart(8)} ${pick("fanout/fanout", impl, "p99").toFixed(2).padStart(8)} ${pick("fanout/fanout", impl, "cpuPerMessage").toFixed(2).padStart(11)}`,
      );
    }
    if (results["fanout/fanout"].tornado && results["fanout/fanout"].socketio) {
      const ratio = pick("fanout/fanout", "tornado", "rate") / pick("fanout/fanout", "socketio", "rate");
      console.log(`  ratio ours/socket.io: delivered msgs/s ${ratio.toFixed(2)} (budget >= 1.5), CPU per message ${(pick("fanout/fanout", "tornado", "cpuPerMessage") / pick("fanout/fanout", "socketio", "cpuPerMessage")).toFixed(2)}`);
    }
  }
  if (results["latency/latency"]) {
    console.log(`\nlatency at a fixed rate: ${RATE} messages/s from each of the 2 publishers, to ${CONNECTIONS} connections (${2 * RATE * CONNECTIONS} deliveries/s offered)`);
    console.log(`  ${"".padEnd(28)} ${"msgs/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"CPU us/msg".padStart(11)}`);
    for (const impl of IMPLS) {
      if (!results["latency/latency"][impl]) continue;
      console.log(
        `  ${NAMES[impl].padEnd(28)} ${String(Math.round(pick("latency/latency", impl, "rate"))).padStart(9)} ${pick("latency/latency", impl, "p50").toFixed(2).padStart(8)} ${pick("latency/latency", impl, "p99").toFixed(2).padStart(8)} ${pick("latency/latency", impl, "cpuPerMessage").toFixed(2).padStart(11)}`,
      );
    }
  }
  if (results["slow/baseline"]) {
    console.log(
      `\nslow consumers (${SLOW_SECONDS}s at ${SLOW_RATE} messages/s from each publisher): 40 readers + 10 stalled (never read) over 2 processes, 16 KiB messages, against the same run with none stalled`,
    );
    console.log(`  ${"".padEnd(28)} ${"msgs/s".padStart(9)} ${"none".padStart(7)} ${"p50 ms".padStart(7)} ${"none".padStart(6)} ${"p99 ms".padStart(7)} ${"none".padStart(6)} ${"RSS growth MiB".padStart(15)} ${"none".padStart(6)}`);
    const growth = (key, impl) => mib(median((results[key]?.[impl] ?? []).map((value) => value.rssAfter - value.rssBefore)));
    for (const impl of Object.keys(results["slow/stalled"] ?? {})) {
      const cell = (field, width, digits = 2) => pick("slow/stalled", impl, field).toFixed(digits).padStart(width) + " " + pick("slow/baseline", impl, field).toFixed(digits).padStart(6);
      console.log(
        `  ${NAMES[impl].padEnd(28)} ${String(Math.round(pick("slow/stalled", impl, "rate"))).padStart(9)} ${String(Math.round(pick("slow/baseline", impl, "rate"))).padStart(7)} ${cell("p50", 7)} ${cell("p99", 7)} ${growth("slow/stalled", impl).padStart(15)} ${growth("slow/baseline", impl).padStart(6)}`,
      );
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
