// IOStream benchmark, both comparisons in one run, on 127.0.0.1:
//   1. bulk echo, 1 MiB writes: IOStream on both ends (client write(1 MiB) + readBytes, server
//      readBytes(64 KiB, partial) + await write) vs plain net.Socket on both ends ('data' ->
//      write, pause/resume on backpressure).
//   2. line protocol, 64-byte lines: a server reading readUntil("\r\n") in a loop vs a
//      hand-written 'data'-event splitter (indexOf + subarray, carry-over between chunks).
//      The client (the same plain socket for both) sends 1 MiB buffers of lines.
// Each server runs in a child process, the client in this one. Rounds alternate between the
// two contenders; the best round of each is reported, with the ratio.
//
// Usage (from the repository root):
//   npx -y pnpm@10 --filter @tornado/ioloop build && node bench/iostream/run.js [--rounds 5] [--quick]
"use strict";
const { fork } = require("node:child_process");
const net = require("node:net");
const { record } = require("../report/record");

const MiB = 1024 * 1024;
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const roundsArg = args.indexOf("--rounds");
const ROUNDS = roundsArg >= 0 ? Number(args[roundsArg + 1]) : 5;
const BULK_TOTAL = (quick ? 256 : 1024) * MiB;
const LINE_TOTAL_MIB = quick ? 64 : 256;
const LINE = Buffer.from("x".repeat(62) + "\r\n");
const LINES_PER_MIB = MiB / LINE.length; // 16384

function loadIOStream() {
  try {
    return require("@tornado/ioloop").IOStream;
  } catch (error) {
    console.error("Cannot load @tornado/ioloop (build it first: npx -y pnpm@10 --filter @tornado/ioloop build)");
    throw error;
  }
}

// ---------------------------------------------------------------- servers (child process)

function rawEcho(socket) {
  socket.on("data", (chunk) => {
    if (!socket.write(chunk)) {
      socket.pause();
      socket.once("drain", () => socket.resume());
    }
  });
  socket.on("error", () => {});
}

function iostreamEcho(IOStream, socket) {
  const stream = new IOStream(socket);
  (async () => {
    for (;;) {
      const chunk = await stream.readBytes(stream.readChunkSize, true);
      await stream.write(chunk);
    }
  })().catch(() => {});
}

// The first line is the number of lines that follow; the answer is "<count> <bytes>\n".
function rawLines(socket) {
  let carry = null;
  let expected = -1;
  let count = 0;
  let bytes = 0;
  const onLine = (line) => {
    if (expected < 0) {
      expected = Number(line.toString("latin1", 0, line.length - 2));
      return;
    }
    count++;
    bytes += line.length;
    if (count === expected) socket.write(`${count} ${bytes}\n`);
  };
  socket.on("data", (chunk) => {
    let buffer = chunk;
    if (carry !== null) {
      buffer = Buffer.concat([carry, chunk]);
      carry = null;
    }
    let start = 0;
    let index;
    while ((index = buffer.indexOf("\r\n", start, "latin1")) !== -1) {
      onLine(buffer.subarray(start, index + 2));
      start = index + 2;
    }
    if (start < buffer.length) carry = buffer.subarray(start);
  });
  socket.on("error", () => {});
}

function iostreamLines(IOStream, socket) {
  const stream = new IOStream(socket);
  (async () => {
    const header = await stream.readUntil("\r\n");
    const expected = Number(header.toString("latin1", 0, header.length - 2));
    let count = 0;
    let bytes = 0;
    while (count < expected) {
      const line = await stream.readUntil("\r\n");
      count++;
      bytes += line.length;
    }
    await stream.write(`${count} ${bytes}\n`);
    await stream.readUntilClose();
  })().catch(() => {});
}

function serve(kind) {
  const IOStream = kind.startsWith("iostream") ? loadIOStream() : null;
  const handlers = {
    "raw-echo": rawEcho,
    "iostream-echo": (socket) => iostreamEcho(IOStream, socket),
    "raw-lines": rawLines,
    "iostream-lines": (socket) => iostreamLines(IOStream, socket),
  };
  const server = net.createServer(handlers[kind]);
  server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
  let base = process.cpuUsage();
  process.on("message", (message) => {
    if (message === "reset") {
      base = process.cpuUsage();
      process.send({ reset: true });
    } else if (message === "report") {
      const used = process.cpuUsage(base);
      process.send({ cpu: (used.user + used.system) / 1e6 });
    }
  });
  process.on("disconnect", () => process.exit(0));
}

// ---------------------------------------------------------------- clients (this process)

function startServer(kind) {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ["--serve", kind], { stdio: "inherit" });
    child.once("message", (message) => resolve({ child, port: message.port }));
    child.once("error", reject);
  });
}

function connect(port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => resolve(socket));
    socket.once("error", reject);
  });
}

async function rawBulkClient(port) {
  const socket = await connect(port);
  const chunk = Buffer.alloc(MiB, 97);
  const started = process.hrtime.bigint();
  await new Promise((resolve) => {
    let sent = 0;
    let received = 0;
    const pump = () => {
      while (sent < BULK_TOTAL) {
        sent += MiB;
        if (!socket.write(chunk)) {
          socket.once("drain", pump);
          return;
        }
      }
    };
    socket.on("data", (data) => {
      received += data.length;
      if (received >= BULK_TOTAL) resolve();
    });
    pump();
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  socket.destroy();
  return BULK_TOTAL / MiB / seconds;
}

async function iostreamBulkClient(port) {
  const IOStream = loadIOStream();
  const stream = new IOStream(await connect(port));
  const chunk = Buffer.alloc(MiB, 97);
  const started = process.hrtime.bigint();
  const writer = (async () => {
    for (let sent = 0; sent < BULK_TOTAL; sent += MiB) await stream.write(chunk);
  })();
  let received = 0;
  while (received < BULK_TOTAL) received += (await stream.readBytes(stream.readChunkSize, true)).length;
  await writer;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  stream.close();
  return BULK_TOTAL / MiB / seconds;
}

async function linesClient(port) {
  const socket = await connect(port);
  const block = Buffer.concat(Array.from({ length: LINES_PER_MIB }, () => LINE));
  const expected = LINE_TOTAL_MIB * LINES_PER_MIB;
  const started = process.hrtime.bigint();
  const answer = await new Promise((resolve) => {
    let text = "";
    socket.on("data", (data) => {
      text += data.toString();
      if (text.endsWith("\n")) resolve(text.trim());
    });
    socket.write(`${expected}\r\n`);
    let sent = 0;
    const pump = () => {
      while (sent < LINE_TOTAL_MIB) {
        sent++;
        if (!socket.write(block)) {
          socket.once("drain", pump);
          return;
        }
      }
    };
    pump();
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  socket.destroy();
  if (answer !== `${expected} ${expected * LINE.length}`) throw new Error(`bad answer ${answer}`);
  return expected / seconds / 1e6;
}

function ask(child, message, key) {
  return new Promise((resolve) => {
    const onMessage = (reply) => {
      if (reply && key in reply) {
        child.removeListener("message", onMessage);
        resolve(reply[key]);
      }
    };
    child.on("message", onMessage);
    child.send(message);
  });
}

// Returns [throughput, CPU seconds used by both processes during the round].
async function round(kind, client) {
  const { child, port } = await startServer(kind);
  try {
    await ask(child, "reset", "reset");
    const before = process.cpuUsage();
    const throughput = await client(port);
    const used = process.cpuUsage(before);
    const serverCpu = await ask(child, "report", "cpu");
    return [throughput, serverCpu + (used.user + used.system) / 1e6];
  } finally {
    child.disconnect();
    await new Promise((resolve) => child.once("exit", resolve));
  }
}

// `work` is the amount done per round (MiB or M lines), to report CPU per unit of work.
async function compare(title, unit, work, contenders) {
  const results = contenders.map(() => []);
  const cpu = contenders.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < contenders.length; i++) {
      const [, kind, client] = contenders[i];
      const [throughput, seconds] = await round(kind, client);
      results[i].push(throughput);
      cpu[i].push((seconds * 1000) / work);
    }
  }
  const best = results.map((values) => Math.max(...values));
  const leanest = cpu.map((values) => Math.min(...values));
  console.log(`\n${title}`);
  contenders.forEach(([name], i) => {
    const runs = results[i].map((v) => v.toFixed(1)).join(", ");
    console.log(
      `  ${name.padEnd(34)} ${best[i].toFixed(1).padStart(8)} ${unit}   ` +
        `CPU ${leanest[i].toFixed(1)} ms per ${unit.split("/")[0].trim()}   (rounds: ${runs})`,
    );
  });
  contenders.forEach(([name], i) => {
    record({
      suite: "iostream", scenario: title, impl: name, ours: i === 0, reference: i === 1, unit,
      rate: best[i], cpu: leanest[i], cpuUnit: `ms/${unit.split("/")[0].trim()} (both processes)`,
    });
  });
  const ratio = best[0] / best[1];
  const cpuRatio = leanest[1] / leanest[0];
  // Rounds alternate, so round i of each ran under about the same load: the median of the
  // per-round ratios is steadier than the ratio of the best rounds on a busy machine.
  const paired = results[0].map((value, i) => value / results[1][i]).sort((a, b) => a - b);
  const median = paired[Math.floor(paired.length / 2)];
  console.log(
    `  ratio ${contenders[0][0]} / ${contenders[1][0]}: ${ratio.toFixed(2)}x throughput (best rounds), ` +
      `${median.toFixed(2)}x (median of paired rounds), ${cpuRatio.toFixed(2)}x CPU efficiency (both processes)`,
  );
  return ratio;
}

async function main() {
  loadIOStream();
  console.log(`IOStream benchmark: node ${process.version}, ${ROUNDS} rounds, best round shown`);
  const bulk = await compare(`Bulk echo, 1 MiB writes, ${BULK_TOTAL / MiB} MiB per round`, "MiB/s", BULK_TOTAL / MiB, [
    ["IOStream echo (both ends)", "iostream-echo", iostreamBulkClient],
    ["net.Socket echo (both ends)", "raw-echo", rawBulkClient],
  ]);
  const lines = await compare(
    `Line protocol, 64-byte lines, ${LINE_TOTAL_MIB * LINES_PER_MIB} lines per round`,
    "M lines/s",
    (LINE_TOTAL_MIB * LINES_PER_MIB) / 1e6,
    [
      ['IOStream readUntil("\\r\\n")', "iostream-lines", linesClient],
      ["hand-written 'data' splitter", "raw-lines", linesClient],
    ],
  );
  console.log(
    `\nBudget: bulk >= 0.85x (${bulk >= 0.85 ? "met" : "NOT met"}), lines >= 0.70x (${lines >= 0.7 ? "met" : "NOT met"})`,
  );
}

if (args[0] === "--serve") serve(args[1]);
else {
  // Bounded in time: a stuck round fails the run instead of hanging `pnpm bench`.
  setTimeout(() => {
    console.error("bench/iostream: timed out after 15 minutes");
    process.exit(1);
  }, 15 * 60 * 1000).unref();
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
