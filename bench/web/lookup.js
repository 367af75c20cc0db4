// Route lookup cost in-process (no sockets): Application.findHandler for /users/42 in a
// 1-route and a 200-route table, including the HTTPServerRequest construction. Usage:
// node bench/web/lookup.js (needs built packages). Deterministic where wrk figures are noisy.
"use strict";
const { Application, RequestHandler } = require("@tornado/web");
const { HTTPServerRequest, HTTPHeaders } = require("@tornado/httpserver");
class User extends RequestHandler {}
function make(n) { const r = []; for (let i = 0; i < n - 1; i++) r.push([`/r${i}/([0-9]+)`, User]); r.push(["/users/([0-9]+)", User]); return new Application(r); }
const headers = new HTTPHeaders({ Host: "127.0.0.1" });
for (const n of [1, 200, 1, 200]) {
  const app = make(n);
  const N = 300000;
  let t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) { const req = new HTTPServerRequest({ uri: "/users/42", headers }); app.findHandler(req); }
  console.log(n, Number(process.hrtime.bigint() - t) / N, "ns/lookup (incl. request construction)");
}
