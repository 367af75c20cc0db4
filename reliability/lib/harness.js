// The reliability suite's plumbing: a server in a child process (lib/server.js) measured from
// /proc (CPU seconds, RSS, open file descriptors), raw loopback sockets, latency percentiles.
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const net = require("node:net");
const path = require("node:path");

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** Starts `lib/server.js <kind>` and resolves once it listens. */
function startServer(kind, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", path.join(__dirname, "server.js"), kind, JSON.stringify(options)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const exited = new Promise((done) => child.once("exit", (code, signal) => done({ code, signal })));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      const line = stdout.split("\n")[0];
      if (stdout.includes("\n") && port === 0) {
        port = JSON.parse(line).port;
        resolve(server);
      }
    });
    child.once("error", reject);
    void exited.then(({ code }) => {
      if (port === 0) reject(new Error(`server ${kind} exited with ${code} before listening:\n${stderr}`));
    });
    let port = 0;
    const server = {
      kind,
      child,
      get port() {
        return port;
      },
      /** Everything the server wrote to stderr so far (its log). */
      get stderr() {
        return stderr;
      },
      exited,
      /** CPU seconds (user + system) the server has used. */
      cpuSeconds: () => cpuSeconds(child.pid),
      rssBytes: () => rssBytes(child.pid),
      openFds: () => fs.readdirSync(`/proc/${child.pid}/fd`).length,
      /** Asks the server for a full garbage collection and waits a moment for it. */
      async collectGarbage() {
        child.kill("SIGUSR2");
        await new Promise((resolve) => setTimeout(resolve, 500));
      },
      async stop() {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        await exited;
      },
    };
  });
}

function cpuSeconds(pid) {
  // /proc/<pid>/stat: the command may hold spaces; fields after ")" are fixed.
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

function rssBytes(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) * 1024;
}

/** Opens a socket and resolves once connected. */
function connect(port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  });
}

/**
 * Sends `data` (or a list of chunks) on a fresh connection and collects everything until the
 * server closes or `timeoutMs` passes. Resolves with the bytes, whether the server closed, and
 * the first status code seen.
 */
function exchange(port, data, { timeoutMs = 10000 } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const received = [];
    let closed = false;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const bytes = Buffer.concat(received);
      const match = /^HTTP\/1\.1 (\d{3})/.exec(bytes.subarray(0, 16).toString("latin1"));
      resolve({ bytes, closed, status: match ? Number(match[1]) : null });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on("data", (chunk) => received.push(chunk));
    socket.on("error", () => {
      closed = true;
      finish();
    });
    socket.on("close", () => {
      closed = true;
      finish();
    });
    socket.on("connect", async () => {
      for (const chunk of Array.isArray(data) ? data : [data]) {
        if (typeof chunk === "function") await chunk(socket);
        else if (!socket.destroyed) await new Promise((done) => socket.write(chunk, () => done()));
      }
    });
  });
}

/** `count` sequential GET / on one keep-alive connection: each latency in ms. */
async function latencies(port, count, pathName = "/") {
  const socket = await connect(port);
  const times = [];
  let buffer = "";
  let wanted = null;
  socket.on("data", (chunk) => {
    buffer += chunk.toString("latin1");
    const end = buffer.indexOf("\r\n\r\n");
    if (end < 0 || wanted === null) return;
    const length = Number(/content-length: (\d+)/i.exec(buffer.slice(0, end))?.[1] ?? 0);
    if (buffer.length >= end + 4 + length) {
      buffer = buffer.slice(end + 4 + length);
      const done = wanted;
      wanted = null;
      done();
    }
  });
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await new Promise((resolve) => {
      wanted = resolve;
      socket.write(`GET ${pathName} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  socket.destroy();
  return times;
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Resolves once `condition()` holds, checking every `everyMs`, or rejects after `timeoutMs`. */
async function waitFor(condition, { timeoutMs = 30000, everyMs = 50, what = "the condition" } = {}) {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** One line of figures, printed so that the test output carries the numbers. */
function report(title, figures) {
  const line = Object.entries(figures)
    .map(([name, value]) => `${name}=${typeof value === "number" ? Number(value.toFixed(3)) : value}`)
    .join(" ");
  process.stdout.write(`[reliability] ${title}: ${line}\n`);
  return figures;
}

/** Raises this process's soft limit of open files toward `wanted` (prlimit, util-linux) when it is lower. */
function raiseFileLimit(wanted) {
  const { execFileSync } = require("node:child_process");
  try {
    execFileSync("prlimit", [`--pid=${process.pid}`, `--nofile=${wanted}:${wanted}`], { stdio: "ignore" });
  } catch {
    // Not permitted or no prlimit: the caller reads the limit and sizes its flood to it.
  }
  return fileLimit();
}

function fileLimit() {
  const limits = fs.readFileSync(`/proc/${process.pid}/limits`, "utf8");
  return Number(/Max open files\s+(\d+)/.exec(limits)[1]);
}

module.exports = { startServer, connect, exchange, latencies, percentile, waitFor, report, raiseFileLimit, fileLimit };
