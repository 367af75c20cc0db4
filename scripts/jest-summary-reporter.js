// Writes each package's test counts, and the names of its skipped tests, to test-results.json
// so that the root `pnpm test` can print one closing summary for the whole monorepo
// (scripts/print-test-summary.js): a skipped test is listed by name, never hidden.
const { writeFileSync } = require("node:fs");
const { join, relative } = require("node:path");

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const skippedNames = [];
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status === "pending" || test.status === "todo" || test.status === "skipped") {
          skippedNames.push(`${relative(this.rootDir, file.testFilePath)}: ${test.fullName}`);
        }
      }
    }
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests,
      skipped: results.numPendingTests + results.numTodoTests,
      suitesFailed: results.numFailedTestSuites + results.numRuntimeErrorTestSuites,
      skippedNames,
    };
    writeFileSync(join(this.rootDir, "test-results.json"), JSON.stringify(summary, null, 1) + "\n");
  }
}

module.exports = SummaryReporter;
