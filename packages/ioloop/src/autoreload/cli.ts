#!/usr/bin/env node
/**
 * tornado-autoreload [--until-success] script.js [args...]
 *
 * Runs a Node program and runs it again whenever a file it loaded changes: while it runs (it
 * restarts itself, through the preloaded child module), and after it exited (a crash, a syntax
 * error at startup). With --until-success, a run that exits with status 0 ends it.
 *
 * Tornado: python -m tornado.autoreload (tornado.autoreload.main).
 */

import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { enablePrettyLogging } from "../log/pretty-logging";
import { genLog } from "../log/logger";
import { REPORT_ENV, RESTART_EXIT_CODE, SUPERVISED_ENV } from "./autoreload";

const USAGE = "Usage: tornado-autoreload [--until-success] path/to/script.js [args...]\n";

function main(argv: string[]): void {
  let untilSuccess = false;
  while (argv[0]?.startsWith("-")) {
    const flag = argv.shift() as string;
    if (flag === "--until-success") untilSuccess = true;
    else {
      process.stderr.write(flag === "-h" || flag === "--help" ? USAGE : `unknown option ${flag}\n${USAGE}`);
      process.exit(flag === "-h" || flag === "--help" ? 0 : 2);
    }
  }
  const script = argv.shift();
  if (script === undefined) {
    process.stderr.write(`Either a script path must be specified\n${USAGE}`);
    process.exit(1);
  }
  enablePrettyLogging();
  const report = path.join(tmpdir(), `tornado-autoreload-${process.pid}.json`);
  const preload = path.join(__dirname, `child${path.extname(__filename)}`);
  let child: ChildProcess | null = null;
  let stopping = false;

  const run = (): void => {
    rmSync(report, { force: true });
    child = spawn(process.execPath, [...process.execArgv, "--require", preload, script, ...argv], {
      stdio: "inherit",
      env: { ...process.env, [SUPERVISED_ENV]: "1", [REPORT_ENV]: report },
    });
    child.once("exit", (code, signal) => {
      child = null;
      const status = code ?? 1;
      if (stopping) finish(code === null ? 1 : status);
      else if (code === RESTART_EXIT_CODE) run();
      else {
        if (status === 0) genLog.info("Script exited normally");
        else genLog.info(`Script exited with status ${signal ?? status}`);
        if (untilSuccess && status === 0) finish(0);
        else waitForChange(filesOf(report, script), run);
      }
    });
  };

  const finish = (status: number): never => {
    rmSync(report, { force: true });
    process.exit(status);
  };

  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      stopping = true;
      if (child === null) finish(0);
      else child.kill(signal);
    });
  }
  run();
}

function filesOf(report: string, script: string): string[] {
  const files = new Set([path.resolve(script)]);
  try {
    for (const file of JSON.parse(readFileSync(report, "utf8")) as string[]) files.add(file);
  } catch {
    // no report: the script alone
  }
  return [...files];
}

function mtime(file: string): number | undefined {
  return statSync(file, { throwIfNoEntry: false })?.mtimeMs;
}

function waitForChange(files: string[], then: () => void): void {
  const known = new Map(files.map((file) => [file, mtime(file)]));
  const timer = setInterval(() => {
    for (const [file, time] of known) {
      if (mtime(file) !== time) {
        clearInterval(timer);
        genLog.info(`${file} modified; restarting`);
        then();
        return;
      }
    }
  }, 500);
}

main(process.argv.slice(2));
