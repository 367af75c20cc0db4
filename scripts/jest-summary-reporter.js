// Writes each package's test counts to test-results.json so that the root `pnpm test`
// can print one closing line for the whole monorepo (scripts/print-test-summary.js).
const { writeFileSync } = require("node:fs");
const { join } = require("node:path");

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests,
      skipped: results.numPendingTests + results.numTodoTests,
      suitesFailed: results.numFailedTestSuites + results.numRuntimeErrorTestSuites,
    };
    writeFileSync(join(this.rootDir, "test-results.json"), JSON.stringify(summary) + "\n");
  }
}

module.exports = SummaryReporter;
