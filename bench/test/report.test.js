// bench/report: the entries the suites record, and RESULTS.md and the SVG charts made of them.
"use strict";
const assert = require("node:assert/strict");
const { mkdtempSync, readFileSync, rmSync, existsSync } = require("node:fs");
const { tmpdir } = require("node:os");
const path = require("node:path");
const { test } = require("node:test");
const { record, recordMissing, wrkPercentiles } = require("../report/record");
const { renderMarkdown, ratios, writeResults } = require("../report/results");
const { barChart } = require("../report/svg-chart");

const ENTRIES = [
  { suite: "web", scenario: "hello", impl: "@tornado/web", ours: true, reference: false, unit: "req/s", rate: 30000, p50Ms: 1.5, p99Ms: 4, rssMiB: 60, cpu: 30, cpuUnit: "µs/req (server)" },
  { suite: "web", scenario: "hello", impl: "fastify", reference: true, unit: "req/s", rate: 25000, p50Ms: 1.8, p99Ms: 5, rssMiB: 70, cpu: 40, cpuUnit: "µs/req (server)", note: "wrk: Socket errors: timeout 3" },
  { suite: "web", scenario: "hello", impl: "Python Tornado", reference: false, unit: "req/s", rate: null, missing: "no Tornado in /usr/bin/python3" },
  { suite: "web", scenario: "idle (RSS)", impl: "@tornado/web", ours: true, reference: false, unit: "req/s", rate: null, rssMiB: 90 },
  { suite: "web", scenario: "idle (RSS)", impl: "fastify", reference: true, unit: "req/s", rate: null, rssMiB: 100 },
];

test("record appends one JSON line per entry to TORNADO_BENCH_RESULTS, missing peers included", () => {
  const directory = mkdtempSync(path.join(tmpdir(), "bench-record-"));
  const file = path.join(directory, "results.jsonl");
  const previous = process.env.TORNADO_BENCH_RESULTS;
  process.env.TORNADO_BENCH_RESULTS = file;
  try {
    record({ suite: "http", scenario: "hello", impl: "node:http", reference: true, unit: "req/s", rate: 1000, cpu: NaN });
    recordMissing({ suite: "http", scenario: "hello", impl: "Python Tornado", unit: "req/s" }, "not installed");
    const lines = readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line));
    assert.deepEqual(lines, [
      { reference: true, rate: 1000, suite: "http", scenario: "hello", impl: "node:http", unit: "req/s", cpu: null },
      { reference: false, rate: null, suite: "http", scenario: "hello", impl: "Python Tornado", unit: "req/s", missing: "not installed" },
    ]);
    assert.throws(() => record({ suite: "http", scenario: "x", impl: "y" }), /needs a string unit/);
  } finally {
    if (previous === undefined) delete process.env.TORNADO_BENCH_RESULTS;
    else process.env.TORNADO_BENCH_RESULTS = previous;
    rmSync(directory, { recursive: true, force: true });
  }
});

test("wrkPercentiles reads wrk's latency distribution in milliseconds", () => {
  const output = "  Latency Distribution\n     50%  812.00us\n     75%    1.20ms\n     90%    2.10ms\n     99%    1.03s\n";
  assert.deepEqual(wrkPercentiles(output), { p50Ms: 0.812, p99Ms: 1030 });
  assert.deepEqual(wrkPercentiles("no latency here"), { p50Ms: null, p99Ms: null });
  assert.deepEqual(wrkPercentiles("     50%    0.00us\n     99%    0.00us\n"), { p50Ms: null, p99Ms: null });
});

test("ratios are to the scenario's reference: rate and RSS this/reference, CPU reference/this", () => {
  const rows = ratios(ENTRIES.slice(0, 3));
  assert.deepEqual(rows.map((row) => [row.entry.impl, row.rate, row.cpu, row.rss]), [
    ["@tornado/web", 1.2, 40 / 30, 60 / 70],
    ["fastify", 1, 1, 1],
    ["Python Tornado", null, null, null],
  ]);
});

test("RESULTS.md has the machine, versions, commands, every figure, and lists a missing peer", () => {
  const markdown = renderMarkdown({
    entries: ENTRIES,
    suites: [{ suite: "web", title: "Web framework.", command: "node bench/web/run.js", seconds: 95, status: "ok" }],
    machine: [["CPU", "Test CPU, 2 cores"]],
    versions: [["fastify", "5.6.0"]],
    date: "2026-12-03T00:00:00Z",
    charts: new Set(["web"]),
  });
  assert.match(markdown, /\| CPU \| Test CPU, 2 cores \|/);
  assert.match(markdown, /\| fastify \| 5\.6\.0 \|/);
  assert.match(markdown, /\| \[web\]\(#web\) \| `node bench\/web\/run\.js` \| 95 s \| ok \|/);
  assert.match(markdown, /!\[web: ratios to the reference\]\(charts\/web\.svg\)/);
  assert.match(markdown, /\| hello \| \*\*@tornado\/web\*\* \| 30,000 req\/s \| 1\.20x \| 1\.50 \| 4\.00 \| 60\.0 \| 30\.0 µs\/req \(server\) \| 1\.33x \|/);
  assert.match(markdown, /\| hello \| fastify \(reference\) \| 25,000 req\/s \(wrk: Socket errors: timeout 3\) \| 1\.00x \|/);
  assert.match(markdown, /\| hello \| Python Tornado \| missing: no Tornado in \/usr\/bin\/python3 \|/);
  assert.match(markdown, /\| idle \(RSS\) \| \*\*@tornado\/web\*\* \| - \| 0\.90x RSS \|/);
  assert.match(markdown, /A small machine, sometimes shared/);
});

test("writeResults writes RESULTS.md and one chart per suite with rates, missing peers drawn as such", () => {
  const directory = mkdtempSync(path.join(tmpdir(), "bench-results-"));
  try {
    const files = writeResults({
      directory,
      entries: ENTRIES,
      suites: [
        { suite: "web", title: "Web framework.", command: "node bench/web/run.js", seconds: 95, status: "ok" },
        { suite: "http", title: "HTTP.", command: "node bench/http/run.js", seconds: 3, status: "failed: exit 1" },
      ],
      machine: [],
      versions: [],
      date: "2026-12-03T00:00:00Z",
    });
    assert.deepEqual(files, [path.join(directory, "charts", "web.svg")]);
    const svg = readFileSync(files[0], "utf8");
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, />1\.20x</);
    assert.match(svg, />missing: no Tornado in \/usr\/bin\/python3</);
    assert.doesNotMatch(svg, /idle \(RSS\)/);
    const markdown = readFileSync(path.join(directory, "RESULTS.md"), "utf8");
    assert.match(markdown, /## http\n\nHTTP\.\n\nNo figures: failed: exit 1\./);
    assert.equal(existsSync(path.join(directory, "charts", "http.svg")), false);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test("barChart escapes text and scales bars to the largest ratio", () => {
  const svg = barChart({
    title: "A <b> & C",
    subtitle: "s",
    groups: [{ label: "g", bars: [{ label: "x", value: 2, kind: "tornado" }, { label: "ref", value: 1, kind: "reference" }] }],
  });
  assert.match(svg, /A &lt;b&gt; &amp; C/);
  const widths = [...svg.matchAll(/<rect x="230" y="[\d.]+" width="([\d.]+)"/g)].map((match) => Number(match[1]));
  assert.equal(widths.length, 2);
  assert.ok(Math.abs(widths[0] / widths[1] - 2) < 0.01, `bars in proportion: ${widths}`);
});
