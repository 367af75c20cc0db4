// bench/RESULTS.md and bench/charts/<suite>.svg from the entries the suites recorded
// (record.js) and what run-all.js knows about the run: machine, versions, commands.
"use strict";
const { mkdirSync, writeFileSync } = require("node:fs");
const path = require("node:path");
const { barChart } = require("./svg-chart");

function format(value, digits = 0) {
  if (value === null || value === undefined) return "-";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function significant(value) {
  if (value === null || value === undefined) return "-";
  return value >= 100 ? format(value, 0) : value >= 10 ? format(value, 1) : format(value, 2);
}

/** A latency in ms; 0 is wrk's way of saying it timed no response, so no figure. */
function latency(value) {
  return value ? significant(value) : "-";
}

/** Entries grouped by suite, then by scenario, in the order they were recorded. */
function group(entries) {
  const suites = new Map();
  for (const entry of entries) {
    if (!suites.has(entry.suite)) suites.set(entry.suite, new Map());
    const scenarios = suites.get(entry.suite);
    if (!scenarios.has(entry.scenario)) scenarios.set(entry.scenario, []);
    scenarios.get(entry.scenario).push(entry);
  }
  return suites;
}

/** Ratios of each entry to its scenario's reference: rate (higher is better), CPU, RSS. */
function ratios(entries) {
  const reference = entries.find((entry) => entry.reference && !entry.missing);
  return entries.map((entry) => ({
    entry,
    rate: reference?.rate && entry.rate !== null ? entry.rate / reference.rate : null,
    cpu: reference?.cpu && entry.cpu ? reference.cpu / entry.cpu : null,
    rss: reference?.rssMiB && entry.rssMiB ? entry.rssMiB / reference.rssMiB : null,
  }));
}

function kind(entry) {
  return entry.reference ? "reference" : entry.ours ? "tornado" : "peer";
}

/** The chart of a suite's rate ratios (scenarios without rates, RSS only, are left to the table). */
function suiteChart(suite, scenarios, title) {
  const groups = [];
  for (const [scenario, entries] of scenarios) {
    const rows = ratios(entries);
    if (rows.every((row) => row.entry.rate === null && !row.entry.missing)) continue;
    const reference = entries.find((entry) => entry.reference);
    groups.push({
      label: `${scenario} (x ${reference ? reference.impl : "?"}, ${entries[0].unit})`,
      bars: rows.map((row) => ({
        label: row.entry.impl,
        value: row.rate,
        kind: kind(row.entry),
        note: row.entry.missing ? `missing: ${row.entry.missing}` : "no figure",
      })),
    });
  }
  if (groups.length === 0) return null;
  return barChart({ title, subtitle: `bench/${suite}: throughput / the reference peer's, same run (higher is better)`, groups });
}

function suiteTable(scenarios) {
  const lines = [
    "| scenario | implementation | rate | x ref | p50 ms | p99 ms | RSS MiB | CPU per op | CPU x ref |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const [scenario, entries] of scenarios) {
    for (const row of ratios(entries)) {
      const entry = row.entry;
      const name = entry.reference ? `${entry.impl} (reference)` : entry.ours ? `**${entry.impl}**` : entry.impl;
      if (entry.missing) {
        lines.push(`| ${scenario} | ${name} | missing: ${entry.missing} | | | | | | |`);
        continue;
      }
      const rate = entry.rate === null ? "-" : `${significant(entry.rate)} ${entry.unit}${entry.note ? ` (${entry.note})` : ""}`;
      const ratio = row.rate !== null ? `${row.rate.toFixed(2)}x` : row.rss !== null ? `${row.rss.toFixed(2)}x RSS` : "-";
      const cpu = entry.cpu ? `${significant(entry.cpu)} ${entry.cpuUnit ?? ""}`.trim() : "-";
      lines.push(
        `| ${scenario} | ${name} | ${rate} | ${ratio} | ${latency(entry.p50Ms)} | ${latency(entry.p99Ms)} | ` +
          `${significant(entry.rssMiB)} | ${cpu} | ${row.cpu !== null ? `${row.cpu.toFixed(2)}x` : "-"} |`,
      );
    }
  }
  return lines.join("\n");
}

/**
 * The text of RESULTS.md.
 * @param {object} run
 * @param {Array<object>} run.entries      recorded BenchEntry objects
 * @param {Array<{suite: string, name?: string, command: string, seconds: number, status: string, title: string, note?: string}>} run.suites
 * @param {Array<[string, string]>} run.machine  label, value
 * @param {Array<[string, string]>} run.versions peer, version
 * @param {string} run.date
 * @param {Set<string>} run.charts        suites that have a chart
 */
function renderMarkdown({ entries, suites, machine, versions, date, charts }) {
  const bySuite = group(entries);
  const out = [
    "# Benchmark results",
    "",
    `Written by \`npx -y pnpm@10 bench\` (bench/run-all.js) on ${date}. Every suite runs its`,
    "implementations in one run, alternating them, so that noise falls on all alike; **x ref** is",
    "the ratio to the reference peer of that scenario in the same run (throughput: higher is",
    "better), **CPU x ref** the reference's CPU per operation divided by this one's (above 1: less",
    "CPU than the reference).",
    "",
    "**A small machine, sometimes shared**: absolute figures drift (20% and more between runs, more",
    "when other work runs; the Machine table's load average says how busy it was); the ratios, and",
    "CPU per operation above all, hold better. A peer that is not installed is listed as missing,",
    "with what it needs.",
    "",
    "## Machine",
    "",
    "| | |",
    "| --- | --- |",
    ...machine.map(([label, value]) => `| ${label} | ${value} |`),
    "",
    "## Versions",
    "",
    "| peer | version |",
    "| --- | --- |",
    ...versions.map(([name, version]) => `| ${name} | ${version} |`),
    "",
    "## Commands",
    "",
    "| suite | command | time | status |",
    "| --- | --- | ---: | --- |",
    ...suites.map((suite) => `| [${suite.suite}](#${suite.suite}) | \`${suite.command}\` | ${format(suite.seconds)} s | ${suite.status} |`),
    "",
  ];
  for (const suite of suites) {
    out.push(`## ${suite.suite}`, "", suite.title, "");
    if (suite.note) out.push(suite.note, "");
    if (charts.has(suite.suite)) out.push(`![${suite.suite}: ratios to the reference](charts/${suite.suite}.svg)`, "");
    const scenarios = bySuite.get(suite.suite);
    out.push(scenarios ? suiteTable(scenarios) : `No figures: ${suite.status}.`, "");
  }
  return out.join("\n");
}

/** Writes RESULTS.md and the charts into `directory` (bench/). Returns the chart files. */
function writeResults({ directory, entries, suites, machine, versions, date }) {
  const chartsDirectory = path.join(directory, "charts");
  mkdirSync(chartsDirectory, { recursive: true });
  const bySuite = group(entries);
  const charts = new Set();
  const files = [];
  for (const suite of suites) {
    const scenarios = bySuite.get(suite.suite);
    const svg = scenarios ? suiteChart(suite.suite, scenarios, suite.name ?? suite.suite) : null;
    if (svg === null) continue;
    const file = path.join(chartsDirectory, `${suite.suite}.svg`);
    writeFileSync(file, svg);
    charts.add(suite.suite);
    files.push(file);
  }
  writeFileSync(path.join(directory, "RESULTS.md"), renderMarkdown({ entries, suites, machine, versions, date, charts }));
  return files;
}

module.exports = { renderMarkdown, writeResults, suiteChart, ratios };
