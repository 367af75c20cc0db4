// Writes RESULTS.md and the charts again from the raw figures of the last run, RESULTS.json
// (for a change of layout; the figures themselves only change with a new run):
//   node bench/report/render.js [bench/results]     (default: bench/)
"use strict";
const { readFileSync } = require("node:fs");
const path = require("node:path");
const { writeResults } = require("./results");

const directory = path.resolve(process.argv[2] ?? path.join(__dirname, ".."));
const run = JSON.parse(readFileSync(path.join(directory, "RESULTS.json"), "utf8"));
const charts = writeResults({ directory, ...run });
console.log(`wrote ${path.join(directory, "RESULTS.md")} and ${charts.length} charts`);
