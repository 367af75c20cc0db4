// Handler faults (tornado): a handler that throws, rejects, never finishes, or writes after
// finish(), in the handler and from a timer. The client gets a response or a close, the error
// is logged once (ERROR lines on the server's stderr), and the server goes on serving.
"use strict";
const { exchange, latencies, report } = require("./harness");

/** @type {Array<[string, number | "none", RegExp | null]>} */
const FAULTS = [
  // [path, what the client must get: a status, or "none" (it gives up; the server keeps the request)]
  ["/faults/throw", 500, /Uncaught exception GET \/faults\/throw/],
  ["/faults/reject", 500, /Uncaught exception GET \/faults\/reject/],
  ["/faults/never", "none", null],
  ["/faults/after-finish", 200, /Uncaught exception GET \/faults\/after-finish/],
  ["/faults/after-finish-timer", 200, /^E tornado\.application Uncaught exception outside a request handler/],
];

/** ERROR and CRITICAL records (lib/server.js's format), less the access log's (a 5xx line there is the status, not the fault). */
function errorLines(stderr) {
  return stderr.split("\n").filter((line) => /^[EC] /.test(line) && !line.startsWith("E tornado.access "));
}

/** Runs one fault; returns what the client got and the ERROR lines it added to the server's log. */
async function fault(server, path) {
  const before = errorLines(server.stderr).length;
  const result = await exchange(server.port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, { timeoutMs: 1500 });
  // The timer fault writes 10 ms after the response: let it happen before looking.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const alive = server.child.exitCode === null && server.child.signalCode === null;
  const healthy = alive && (await latencies(server.port, 1).then(() => true, () => false));
  const errors = errorLines(server.stderr).slice(before);
  report(`fault ${path}`, { status: result.status ?? "none", closedByServer: result.closed, errorLines: errors.length, serverAlive: alive, healthy });
  return { status: result.status ?? "none", closed: result.closed, errors, alive, healthy };
}

module.exports = { FAULTS, fault, errorLines };
