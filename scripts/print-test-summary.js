// Adds up every package's test-results.json (written by jest-summary-reporter.js) and prints
// the closing line, per package and in total, with every skipped test by name, so skipped
// tests are visible, never hidden. A package or app with a `test` script that left no
// results fails the run: a suite that never reported is not a pass.
const { existsSync, readdirSync, readFileSync, rmSync } = require("node:fs");
const { join } = require("node:path");

const root = join(__dirname, "..");
const workspaceDirs = ["packages", "apps"].flatMap((dir) =>
  readdirSync(join(root, dir)).map((name) => ({ dir, name, path: join(root, dir, name) })),
);

// `--clean`, before the run: drop last run's results, so that only this run's can be counted.
if (process.argv.includes("--clean")) {
  for (const { path } of workspaceDirs) rmSync(join(path, "test-results.json"), { force: true });
  process.exit(0);
}

const total = { passed: 0, failed: 0, skipped: 0 };
let failedSuites = 0;
const missing = [];
const skipped = [];
for (const { dir, name, path } of workspaceDirs) {
  const manifest = join(path, "package.json");
  if (!existsSync(manifest)) continue;
  const hasTests = Boolean(JSON.parse(readFileSync(manifest, "utf8")).scripts?.test);
  const file = join(path, "test-results.json");
  if (!existsSync(file)) {
    if (hasTests) missing.push(`${dir}/${name}`);
    continue;
  }
  const result = JSON.parse(readFileSync(file, "utf8"));
  console.log(`${dir}/${name}: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped`);
  total.passed += result.passed;
  total.failed += result.failed;
  total.skipped += result.skipped;
  failedSuites += result.suitesFailed;
  for (const test of result.skippedNames ?? []) skipped.push(`${dir}/${name}/${test}`);
}
if (skipped.length > 0) {
  console.log(`\nSkipped (each says why in its name or its file):`);
  for (const test of skipped) console.log(`  - ${test}`);
}
for (const name of missing) console.log(`\n${name} has a test script but reported no results`);
console.log(`\nTests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exitCode = total.failed > 0 || failedSuites > 0 || missing.length > 0 ? 1 : 0;
