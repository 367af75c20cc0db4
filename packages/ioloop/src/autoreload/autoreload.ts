/**
 * Restarts the process when a source file it loaded, or a watched file, changes: Tornado's
 * `debug=True` / `autoreload=True` development loop, without `node --watch`.
 *
 * Node cannot exec() itself in place as Python does. Under a supervisor (the
 * `tornado-autoreload` command, or a process that already restarted once) a change runs the
 * reload hooks, then exits with RESTART_EXIT_CODE and the supervisor starts the program again.
 * A process started plainly (`node app.js`) becomes that supervisor on its first change: once
 * its hooks have run (its servers closed), it starts the program again as a child with the
 * same terminal and waits for it, blocked (spawnSync), so none of its own timers or handlers
 * run any more; later changes restart only the child.
 *
 * Tornado: tornado.autoreload (start, wait, watch, add_reload_hook).
 */

import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { constants } from "node:os";
import { ArgumentTypeError, checkCallback, checkPositive } from "@tornado/util";
import { genLog } from "../log/logger";
import { taskId } from "../process/process";
import { loadedFiles, requiredFiles } from "./loaded-files";

/** The status a supervised program exits with to be started again. */
export const RESTART_EXIT_CODE = 75;
/** Set in the environment of a program run by a supervisor. */
export const SUPERVISED_ENV = "TORNADO_AUTORELOAD_SUPERVISED";
/** Where tornado-autoreload asks its program to leave the list of files it loaded. */
export const REPORT_ENV = "TORNADO_AUTORELOAD_REPORT";
/** How long the reload hooks may take before the restart goes ahead anyway, in seconds. */
const HOOK_TIMEOUT = 10;
/** The inspector's list of ES modules is refreshed every this many checks. */
const SNAPSHOT_EVERY = 10;

const watched = new Set<string>();
const reloadHooks: Array<() => unknown> = [];
const modifyTimes = new Map<string, number>();
let timer: NodeJS.Timeout | null = null;
let reloadAttempted = false;
let snapshot = new Set<string>();
let checks = 0;
let parentPid = process.ppid;

/**
 * Starts watching the loaded source files and the watched ones every `checkTime`
 * milliseconds (default 500); a change restarts the process. Calling it again does nothing.
 * The check does not keep the process alive. Not in a worker of forkProcesses (all workers
 * would restart and fork again). Tornado: autoreload.start(check_time=500).
 */
export function start(checkTime = 500): void {
  checkPositive(checkTime, "checkTime", "milliseconds");
  if (timer !== null) return;
  parentPid = process.ppid;
  timer = setInterval(checkForChanges, checkTime);
  timer.unref();
}

/**
 * Starts watching and keeps the process alive until a change restarts it: for the end of a
 * script such as a test runner. Tornado: autoreload.wait (blocking there; a Promise here).
 */
export function wait(): Promise<never> {
  start();
  setInterval(() => {}, 2 ** 31 - 1);
  return new Promise<never>(() => {});
}

/** Adds a file to watch besides the loaded modules (a template, a config file). Tornado: watch. */
export function watch(file: string): void {
  if (typeof file !== "string" || file === "") throw new ArgumentTypeError(`file must be a path, got ${JSON.stringify(file)}`);
  watched.add(file);
}

/**
 * Adds a function run before the restart; a Promise it returns is awaited (up to 10 s), so
 * a hook can stop a server gracefully: stop accepting, let in-flight requests finish.
 * Tornado: autoreload.add_reload_hook.
 */
export function addReloadHook(fn: () => unknown): void {
  checkCallback(fn, "fn");
  reloadHooks.push(fn);
}

/** True once start() was called (and not stopped). */
export function isStarted(): boolean {
  return timer !== null;
}

/** Stops watching; for tests and for programs that turn autoreload off. Not in Tornado. */
export function stop(): void {
  if (timer !== null) clearInterval(timer);
  timer = null;
  modifyTimes.clear();
}

/** Every file that would trigger a restart now. */
export function watchedFiles(): Set<string> {
  if (checks++ % SNAPSHOT_EVERY === 0) snapshot = loadedFiles();
  return new Set([...snapshot, ...requiredFiles(), ...watched]);
}

function checkForChanges(): void {
  if (reloadAttempted || taskId() !== null) return;
  if (process.env[SUPERVISED_ENV] === "1" && process.ppid !== parentPid) {
    // The supervisor is gone (killed): do not live on as an orphan.
    process.exit(1);
  }
  for (const file of watchedFiles()) {
    const modified = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
    if (modified === undefined) continue;
    const known = modifyTimes.get(file);
    if (known === undefined) {
      modifyTimes.set(file, modified);
    } else if (known !== modified) {
      genLog.info(`${file} modified; restarting server`);
      void reload();
      return;
    }
  }
}

/** Runs the hooks, then restarts (exits for the supervisor, or becomes one). Tornado: _reload. */
export async function reload(): Promise<void> {
  reloadAttempted = true;
  stop();
  const hooks = reloadHooks.map(async (hook) => {
    try {
      await hook();
    } catch (error) {
      genLog.warning("Exception in reload hook", error);
    }
  });
  let deadline: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(hooks),
    new Promise((resolve) => (deadline = setTimeout(resolve, HOOK_TIMEOUT * 1000))),
  ]);
  clearTimeout(deadline);
  if (process.env[SUPERVISED_ENV] === "1") process.exit(RESTART_EXIT_CODE);
  superviseSync();
}

/**
 * The program again, as a child on the same terminal, until it exits other than to restart;
 * then this process exits as it did. Blocking on purpose: the old program must not run on.
 */
function superviseSync(): never {
  const env = { ...process.env, [SUPERVISED_ENV]: "1" };
  const args = [...process.execArgv, ...process.argv.slice(1)];
  for (;;) {
    const result = spawnSync(process.execPath, args, { stdio: "inherit", env });
    if (result.error) throw result.error;
    if (result.status === RESTART_EXIT_CODE) continue;
    const signal = result.signal === null ? 0 : (constants.signals[result.signal] ?? 0);
    process.exit(result.status ?? 128 + signal);
  }
}
