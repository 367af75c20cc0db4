// `pnpm bench`: builds the packages, then runs every side-by-side benchmark in turn, each
// with its own defaults (see the header comment of each run.js for its options). Load only
// ever targets 127.0.0.1; every run is bounded in time.
"use strict";
const { spawnSync } = require("node:child_process");
const { existsSync } = require("node:fs");
const path = require("node:path");

const SUITES = ["iostream", "http", "http2", "httpclient", "web", "websocket", "pubsub", "template"];
const only = process.argv.slice(2);

const build = spawnSync("npx", ["-y", "pnpm@10", "build"], { cwd: path.join(__dirname, ".."), stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

let failed = 0;
for (const suite of SUITES) {
  if (only.length > 0 && !only.includes(suite)) continue;
  const script = path.join(__dirname, suite, "run.js");
  if (!existsSync(script)) continue;
  console.log(`\n=== bench/${suite} ===`);
  const result = spawnSync(process.execPath, [script], { cwd: __dirname, stdio: "inherit" });
  if (result.status !== 0) {
    console.log(`bench/${suite} exited with ${result.status}`);
    failed++;
  }
}
process.exit(failed > 0 ? 1 : 0);
