// RequestHandler's own cost in-process (no sockets, so much less noisy than wrk on a shared
// machine): per request, the HTTPServerRequest, the route lookup, the HandlerDelegate, the
// handler's construction, its method, write() and finish() down to the connection's
// writeHeaders/finish. The connection is an in-memory sink that takes the bytes at once.
// Scenarios:
//   hello    write("Hello, World!")             (text, default ETag)
//   json     write({ message })                 (JSON)
//   param    GET /users/42 -> write({ id })     (a path argument)
//   cookie   setCookie + write                  (the outgoing cookie jar)
//   headers  setHeader x2, setStatus(201)       (no ETag: status is not 200)
//   render   render("page.html", { name })      (a one-line template: the template namespace)
// Rounds alternate the order of the scenarios; medians of CPU ns per request (GC included).
// Usage: node bench/web/handler.js [--rounds 7] [--requests 200000] [--web <path>] [--only render,hello]
// (needs built packages; --web loads another build of @tornado/web, to compare two builds
// on the same machine state).
"use strict";
const webIndex = process.argv.indexOf("--web");
const { Application, RequestHandler } = require(webIndex === -1 ? "@tornado/web" : require("node:path").resolve(process.argv[webIndex + 1]));
const { HTTPServerRequest } = require("@tornado/httpserver");
const { HTTPHeaders, RequestStartLine } = require("@tornado/httputil");
const { accessLog, LogLevel } = require("@tornado/ioloop");
const { DictLoader } = require("@tornado/template");

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}
const ROUNDS = option("rounds", 7);
const N = option("requests", 200000);
accessLog.level = LogLevel.WARNING;

// What HTTP1Connection returns for a write the socket took at once.
const { RESOLVED } = require("@tornado/util");
let bytes = 0;
// What HTTP1Connection offers a handler, minus the socket.
const sink = {
  writeHeaders(_startLine, _headers, chunk) {
    if (chunk !== undefined) bytes += chunk.length;
    return RESOLVED;
  },
  write(chunk) {
    bytes += chunk.length;
    return RESOLVED;
  },
  finish() {},
  setCloseCallback() {},
  detach() {
    throw new Error("not in this bench");
  },
};

class Hello extends RequestHandler {
  get() {
    this.write("Hello, World!");
  }
}
class Json extends RequestHandler {
  get() {
    this.write({ message: "Hello, World!" });
  }
}
class User extends RequestHandler {
  get(id) {
    this.write({ id });
  }
}
class Cookie extends RequestHandler {
  get() {
    this.setCookie("session", "abc123");
    this.write("Hello, World!");
  }
}
class Headers extends RequestHandler {
  get() {
    this.setStatus(201);
    this.setHeader("X-Request-Id", "42");
    this.setHeader("Cache-Control", "no-store");
    this.write("Created");
  }
}
class Render extends RequestHandler {
  get() {
    return this.render("page.html", { name: "World" });
  }
}
const app = new Application([
  ["/", Hello],
  ["/json", Json],
  ["/users/([0-9]+)", User],
  ["/cookie", Cookie],
  ["/headers", Headers],
  ["/render", Render],
], { templateLoader: new DictLoader({ "page.html": "<p>Hello, {{ name }}!</p>" }) });
const ALL_SCENARIOS = { hello: "/", json: "/json", param: "/users/42", cookie: "/cookie", headers: "/headers", render: "/render" };
const onlyIndex = process.argv.indexOf("--only");
const SCENARIOS = onlyIndex === -1
  ? ALL_SCENARIOS
  : Object.fromEntries(process.argv[onlyIndex + 1].split(",").map((name) => [name, ALL_SCENARIOS[name]]));
const headers = new HTTPHeaders({ Host: "127.0.0.1" });

const BATCH = 100;
const turn = () => new Promise((resolve) => setImmediate(resolve));

// Batches of BATCH requests, then a turn of the event loop, as a server under load works:
// the microtasks the handlers queue (settled write promises) run between batches.
async function run(uri, count) {
  const startLine = new RequestStartLine("GET", uri, "HTTP/1.1");
  for (let done = 0; done < count; done += BATCH) {
    for (let i = 0; i < BATCH; i++) {
      const request = new HTTPServerRequest({ startLine, headers, connection: sink });
      const delegate = app.findHandler(request);
      delegate.headersReceived(startLine, headers);
      delegate.finish();
    }
    await turn();
  }
}

// CPU time of this process (user + system), not wall time: on a shared machine the
// scheduler's gaps would otherwise dominate.
async function time(uri) {
  const started = process.cpuUsage();
  await run(uri, N);
  const used = process.cpuUsage(started);
  return ((used.user + used.system) * 1000) / N;
}

async function main() {
  for (const uri of Object.values(SCENARIOS)) await run(uri, 20000); // warm-up (JIT)
  const results = {};
  for (let round = 0; round < ROUNDS; round++) {
    const names = Object.keys(SCENARIOS);
    for (const name of round % 2 ? names.reverse() : names) (results[name] ??= []).push(await time(SCENARIOS[name]));
  }
  return results;
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
main().then((results) => {
  if (bytes === 0) throw new Error("nothing was written");
  console.log(`CPU ns per request (median and min of ${ROUNDS} rounds of ${N}; request + lookup + handler + write + finish)`);
  const rows = Object.entries(results).map(([name, values]) => [name, { median: Math.round(median(values)), min: Math.round(Math.min(...values)) }]);
  console.table(Object.fromEntries(rows));
});
