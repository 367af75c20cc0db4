// Template engines side by side on one realistic page (page.js): @tornado/template, eta, ejs,
// nunjucks, handlebars, a hand-written function (the limit), and Python Tornado's engine
// timed in-process by /usr/bin/python3. Prints renders/s and ratios to hand-written and eta.
//
//   cd packages/template && npx tsc -b && cd ../../bench && node template/run.js [seconds-per-round]
//
// Figures are only meaningful on a quiet machine; each engine runs several interleaved rounds
// and keeps its best.
"use strict";

const { execFileSync } = require("node:child_process");
const { existsSync, mkdtempSync, rmSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");
const page = require("./page.js");
const { record, recordMissing } = require("../report/record");

const SECONDS = Number(process.argv[2] ?? 0.5);
const ROUNDS = 3;
const data = page.makeData(100);
const expected = page.handWritten(data);

function tornadoEngine() {
  const { DictLoader } = require("@tornado/template");
  const template = new DictLoader(page.TORNADO, { whitespace: "all" }).load("page.html");
  return () => template.generate(data);
}

function etaEngine() {
  const { Eta } = require("eta");
  const eta = new Eta({ autoEscape: true, autoTrim: false, cache: true });
  for (const [name, source] of Object.entries(page.ETA)) eta.loadTemplate(name, source);
  return () => eta.render("@page", data);
}

function ejsEngine() {
  const ejs = require("ejs");
  const options = {
    cache: true,
    includer: (path) => ({ template: page.EJS[path], filename: path }),
  };
  const render = ejs.compile(page.EJS.page, { ...options, filename: "page" });
  return () => render(data);
}

function nunjucksEngine() {
  const nunjucks = require("nunjucks");
  const Loader = nunjucks.Loader.extend({
    getSource: (name) => ({ src: page.NUNJUCKS[name], path: name, noCache: false }),
  });
  const env = new nunjucks.Environment(new Loader(), { autoescape: true });
  const template = env.getTemplate("page.html", true);
  return () => template.render(data);
}

function handlebarsEngine() {
  const Handlebars = require("handlebars").create();
  Handlebars.registerPartial("layout", page.HANDLEBARS.layout);
  Handlebars.registerPartial("header", page.HANDLEBARS.header);
  const template = Handlebars.compile(page.HANDLEBARS.page);
  return () => template(data);
}

const ENGINES = [
  ["hand-written", () => () => page.handWritten(data)],
  ["@tornado/template", tornadoEngine],
  ["eta", etaEngine],
  ["ejs", ejsEngine],
  ["nunjucks", nunjucksEngine],
  ["handlebars", handlebarsEngine],
];

// Engines differ only in how they spell an escaped quote (handlebars also escapes "=").
const normalize = (html) =>
  html.replace(/&#34;/g, "&quot;").replace(/&#39;/g, "&#x27;").replace(/&#x3D;/g, "=");

function measure(render, seconds) {
  let count = 0;
  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(seconds * 1e9));
  let now;
  do {
    for (let i = 0; i < 50; i++) render();
    count += 50;
    now = process.hrtime.bigint();
  } while (now < deadline);
  const cpu = process.cpuUsage(cpuBefore);
  return { rate: count / (Number(now - start) / 1e9), cpu: (cpu.user + cpu.system) / count };
}

function runPython() {
  if (!existsSync("/usr/bin/python3")) return { skipped: "no /usr/bin/python3" };
  const dir = mkdtempSync(join(tmpdir(), "template-bench-"));
  try {
    const spec = join(dir, "spec.json");
    writeFileSync(spec, JSON.stringify({ templates: page.PYTHON, data, seconds: SECONDS, rounds: ROUNDS }));
    const stdout = execFileSync("/usr/bin/python3", [join(__dirname, "tornado_bench.py"), spec], { encoding: "utf8" });
    return JSON.parse(stdout);
  } catch (error) {
    return { skipped: `python3 tornado failed: ${error.message.split("\n")[0]}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main() {
  const renders = ENGINES.map(([name, make]) => {
    const render = make();
    const output = render();
    if (normalize(output) !== expected) {
      throw new Error(`${name} renders a different page:\n${output.slice(0, 400)}`);
    }
    for (let i = 0; i < 2000; i++) render(); // warm-up
    return { name, render, best: 0, cpu: Infinity };
  });
  for (let round = 0; round < ROUNDS; round++) {
    for (const engine of renders) {
      const { rate, cpu } = measure(engine.render, SECONDS);
      engine.best = Math.max(engine.best, rate);
      engine.cpu = Math.min(engine.cpu, cpu);
    }
  }
  const python = runPython();
  const results = renders.map(({ name, best }) => ({ name, rate: best }));
  const SCENARIO = `one ${expected.length}-byte page, 100 rows`;
  for (const engine of renders) {
    record({
      suite: "template", scenario: SCENARIO, impl: engine.name === "hand-written" ? "hand-written JS (the limit)" : engine.name,
      ours: engine.name === "@tornado/template", reference: engine.name === "eta", unit: "renders/s", rate: engine.best,
      cpu: engine.cpu, cpuUnit: "µs/render",
    });
  }
  if (python.skipped) {
    console.log(`Python Tornado skipped: ${python.skipped}`);
    recordMissing({ suite: "template", scenario: SCENARIO, impl: "Python Tornado", unit: "renders/s" }, python.skipped);
  } else {
    if (normalize(python.output) !== expected) throw new Error("Python Tornado renders a different page");
    record({ suite: "template", scenario: SCENARIO, impl: `Python Tornado ${python.version}`, unit: "renders/s", rate: python.rendersPerSecond });
    results.push({ name: `Python Tornado ${python.version}`, rate: python.rendersPerSecond });
  }
  const hand = results.find((result) => result.name === "hand-written").rate;
  const eta = results.find((result) => result.name === "eta").rate;
  console.log(`page: ${expected.length} bytes, 100 rows; best of ${ROUNDS} rounds of ${SECONDS}s; node ${process.version}`);
  console.log("engine                     renders/s   x hand-written   x eta");
  for (const { name, rate } of results) {
    console.log(
      `${name.padEnd(24)} ${rate.toFixed(0).padStart(11)} ${(rate / hand).toFixed(2).padStart(16)} ${(rate / eta).toFixed(2).padStart(7)}`,
    );
  }
}

main();
