// Adds up every package's test-results.json (written by jest-summary-reporter.js) and prints
// the closing line, per package and in total, so skipped tests are visible, never hidden.
const { existsSync, readdirSync, readFileSync } = require("node:fs");
const { join } = require("node:path");

const root = join(__dirname, "..");
const total = { passed: 0, failed: 0, skipped: 0 };
let failedSuites = 0;
for (const dir of ["packages", "apps"]) {
  for (const name of readdirSync(join(root, dir))) {
    const file = join(root, dir, name, "test-results.json");
    if (!existsSync(file)) continue;
    const result = JSON.parse(readFileSync(file, "utf8"));
    console.log(`${dir}/${name}: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped`);
    total.passed += result.passed;
    total.failed += result.failed;
    total.skipped += result.skipped;
    failedSuites += result.suitesFailed;
  }
}
console.log(`Tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exitCode = total.failed > 0 || failedSuites > 0 ? 1 : 0;
