// Route lookup cost in-process (no sockets, so much less noisy than wrk on a shared machine):
// Application.findHandler for GET /users/42 where that route is the only one, and where it
// is the last of 200 (199 /rN/([0-9]+) routes first). Each timing includes building the
// HTTPServerRequest, as a real request does. Rounds alternate the two tables; medians.
// Usage: node bench/web/lookup.js [--rounds 7] (needs built packages).
"use strict";
const { Application, RequestHandler } = require("@tornado/web");
const { HTTPServerRequest } = require("@tornado/httpserver");
const { HTTPHeaders } = require("@tornado/httputil");

const index = process.argv.indexOf("--rounds");
const ROUNDS = index === -1 ? 7 : Number(process.argv[index + 1]);
const N = 200000;

class User extends RequestHandler {}
function make(size) {
  const rules = [];
  for (let i = 0; i < size - 1; i++) rules.push([`/r${i}/([0-9]+)`, User]);
  rules.push(["/users/([0-9]+)", User]);
  return new Application(rules);
}
const headers = new HTTPHeaders({ Host: "127.0.0.1" });
const apps = { 1: make(1), 200: make(200) };

function time(app) {
  const started = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    const request = new HTTPServerRequest({ uri: "/users/42", headers });
    if (app.findHandler(request) === null) throw new Error("no match");
  }
  return Number(process.hrtime.bigint() - started) / N;
}

const results = { 1: [], 200: [] };
time(apps[1]);
time(apps[200]); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const size of round % 2 ? [200, 1] : [1, 200]) results[size].push(time(apps[size]));
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const one = median(results[1]);
const two = median(results[200]);
console.log(`1-route table:   ${one.toFixed(0)} ns per lookup (median of ${ROUNDS})`);
console.log(`200-route table: ${two.toFixed(0)} ns per lookup`);
console.log(
  `200-route table costs ${(two - one).toFixed(0)} ns more per request (${(((two - one) / one) * 100).toFixed(1)}% of ` +
    "request construction + lookup; the budget, under 10% of a whole request, is measured end to end by run.js)",
);
