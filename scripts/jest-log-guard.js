// Jest setup (setupFilesAfterEnv, for every package that uses @tornado/ioloop's loggers): a
// test fails when a Tornado logger printed an ERROR (or CRITICAL) record that the test did not
// expect, as Tornado's own test runner fails a run that logged errors. A test that means to log
// an error wraps the code in ExpectLog (@tornado/testing) or a capture of its package's test
// helpers with the expected pattern: matched records never reach this guard.
"use strict";

const { LogLevel, formatLogRecord, setLogHandler } = require("@tornado/ioloop");

let unexpected = [];
let previous = null;

// tornado.access logs a 5xx response at ERROR: that is the response's status, not a fault of
// the code (Tornado's runner mutes the access log for the same reason); the fault behind a
// 500 is logged on tornado.application, and counts.
function guard(record) {
  if (record.level >= LogLevel.ERROR && record.name !== "tornado.access") unexpected.push(record);
  previous(record);
}

function check(where) {
  if (unexpected.length === 0) return;
  const lines = unexpected.map((record) => "  " + formatLogRecord(record).split("\n").slice(0, 3).join("\n    ")).join("\n");
  unexpected = [];
  throw new Error(
    `unexpected ERROR log ${where} (wrap code that means to log in ExpectLog, with the pattern it logs):\n${lines}`,
  );
}

beforeAll(() => {
  previous = setLogHandler(guard);
});

afterEach(() => check("during this test"));

afterAll(() => {
  // The guard stays the bottom handler while the file runs; restore what was there before.
  if (previous !== null) setLogHandler(previous);
  check("after the last test of this file");
});
