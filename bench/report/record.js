// What every bench/*/run.js reports for bench/RESULTS.md: one JSON line per (scenario,
// implementation), appended to the file named by TORNADO_BENCH_RESULTS (set by run-all.js).
// Run alone, a run.js prints its own table and records nothing.
"use strict";
const { appendFileSync } = require("node:fs");
const { spawnSync } = require("node:child_process");

/**
 * @typedef {object} BenchEntry
 * @property {string} suite        "http", "web", ... (the bench/ folder)
 * @property {string} scenario     what was measured, with its load ("hello, 64 connections")
 * @property {string} impl         the implementation ("@tornado/web", "fastify", ...)
 * @property {boolean} reference   true for the peer the others are compared with in this scenario
 * @property {string} unit         unit of `rate`, higher is better ("req/s", "msgs/s", "MiB/s", ...)
 * @property {number|null} rate
 * @property {number|null} [p50Ms] latency percentiles, milliseconds
 * @property {number|null} [p99Ms]
 * @property {number|null} [rssMiB] resident memory of the measured process at the end, MiB
 * @property {number|null} [cpu]    CPU time per unit of work, in `cpuUnit`, lower is better
 * @property {string} [cpuUnit]     "µs/req (server)", "ms/MiB (both processes)", ...
 * @property {string} [missing]     why there is no figure: the peer is not installed
 * @property {string} [note]        what went wrong in the measured run (socket errors, timeouts)
 */

/** Appends `entry` (a BenchEntry) to the results file, when run-all.js asked for one. */
function record(entry) {
  const file = process.env.TORNADO_BENCH_RESULTS;
  if (!file) return;
  for (const field of ["suite", "scenario", "impl", "unit"]) {
    if (typeof entry[field] !== "string") throw new TypeError(`bench entry needs a string ${field}`);
  }
  const clean = { reference: false, rate: null, ...entry };
  for (const [key, value] of Object.entries(clean)) {
    if (typeof value === "number" && !Number.isFinite(value)) clean[key] = null;
  }
  appendFileSync(file, JSON.stringify(clean) + "\n");
}

/** Records a peer that could not run (not installed), so that it is listed, not dropped. */
function recordMissing(entry, reason) {
  record({ ...entry, rate: null, missing: reason });
}

/** Whether Debian's python3 has Tornado (the Python peer of several suites). */
function hasPythonTornado() {
  return spawnSync("/usr/bin/python3", ["-c", "import tornado"], { stdio: "ignore" }).status === 0;
}

/** Whether wrk (the HTTP load generator of the http and web suites) is installed. */
function hasWrk() {
  return spawnSync("wrk", ["-v"], { stdio: "ignore" }).error === undefined;
}

/** The wrk latency distribution ("--latency"): 50% and 99% in milliseconds. */
function wrkPercentiles(output) {
  const read = (label) => {
    const match = new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s)\\s*$`, "m").exec(output);
    // wrk prints 0.00 when it timed no response (Python Tornado under the pipelining script).
    const value = match ? Number(match[1]) * { us: 0.001, ms: 1, s: 1000 }[match[2]] : 0;
    return value > 0 ? value : null;
  };
  return { p50Ms: read("50"), p99Ms: read("99") };
}

module.exports = { record, recordMissing, hasPythonTornado, hasWrk, wrkPercentiles };
