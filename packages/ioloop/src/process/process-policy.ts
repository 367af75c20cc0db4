/**
 * Tornado's process policy: what happens to an error that escapes every handler's chain, and
 * to SIGINT/SIGTERM. IOLoop.start() installs it, and so does Application.listen(), for apps
 * that never start a loop (as with Tornado 6's `asyncio.run(main())` idiom).
 *
 * Errors. Python's asyncio logs an exception nobody retrieved and goes on serving; Node ends
 * the process. Here an uncaught exception or unhandled rejection is logged on
 * `tornado.application` with its stack, and the process goes on, except where going on is
 * unsafe or pointless; then it is logged and the process exits with code 1, as Node would:
 * - in the synchronous run that installed the policy (the main module), and for a failed top-level
 *   `await` or ES module evaluation (Node reports it with origin "unhandledRejection"): the
 *   program never finished starting;
 * - AddressInUseError: the server it was meant to run is not listening;
 * - ERR_INTERNAL_ASSERTION: Node's own state is broken.
 *
 * Signals. The first SIGINT or SIGTERM stops every listening TCPServer (HTTPServer: in-flight
 * requests finish, idle connections close, WebSockets close with 1001) and every started
 * IOLoop; the process then ends by itself with code 0. Past `shutdownTimeout` it exits anyway;
 * a second signal, 0.5 s or more after the first, exits at once (128 + the signal's number).
 *
 * Opt out with setProcessPolicy({ errors: "node", signals: "node" }); a listener of your own,
 * added before the policy is installed, also keeps Tornado's out of that event.
 */

import cluster from "node:cluster";
import { constants } from "node:os";
import { ArgumentTypeError, checkNonNegative, describeValue } from "@tornado/util";
import { AddressInUseError } from "../errors";
import { LogLevel, appLog, genLog } from "../log/logger";
import { syncWithPrimary } from "./worker-supervisor";

/** The settings of the process policy. */
export interface ProcessPolicy {
  /**
   * "log" (default): an uncaught exception or unhandled rejection is logged on
   * tornado.application and the process goes on (startup errors still end it);
   * "node": Node's own behaviour, the process ends.
   */
  errors: "log" | "node";
  /**
   * "graceful" (default): SIGINT and SIGTERM stop the servers and loops and let the process end
   * with code 0; "node": Node's default, the process ends at once.
   */
  signals: "graceful" | "node";
  /** Seconds a graceful stop waits for open connections before exiting with code 1; default 10. */
  shutdownTimeout: number;
}

/**
 * What a graceful stop needs of a server: TCPServer's stop(), HTTPServer's closeAllConnections(),
 * or HTTPServer's shutdown(timeout), which does both and gives idle connections a second for a
 * request already on its way.
 */
export interface StoppableServer {
  stop(options?: { closeStreams?: boolean }): void;
  closeAllConnections?(): Promise<void>;
  shutdown?(timeout: number): Promise<void>;
}

/** What a graceful stop needs of a started loop. */
export interface StoppableLoop {
  readonly running: boolean;
  stop(): void;
}

const SIGNALS = ["SIGINT", "SIGTERM"] as const;
type StopSignal = (typeof SIGNALS)[number];

const settings: ProcessPolicy = { errors: "log", signals: "graceful", shutdownTimeout: 10 };
const servers = new Set<StoppableServer>();
const loops = new Set<StoppableLoop>();
const installed = new Map<string, (...args: never[]) => void>();
let armed = false;
/** When the first stop signal arrived (performance.now() ms), or null. */
let stopping: number | null = null;
/** Repeats of a stop signal within this many ms are taken as relays of the first. */
const SAME_SIGNAL_MS = 500;

/**
 * Changes the policy and returns the previous settings. Setting a part to "node" removes
 * Tornado's listeners for it at once.
 *
 * @example setProcessPolicy({ errors: "node" }) // crash on uncaught errors; let a supervisor restart
 */
export function setProcessPolicy(policy: Partial<ProcessPolicy>): ProcessPolicy {
  if (policy === null || typeof policy !== "object") {
    throw new ArgumentTypeError(`policy must be an object, got ${describeValue(policy)}`);
  }
  const { errors, signals, shutdownTimeout } = policy;
  if (errors !== undefined && errors !== "log" && errors !== "node") {
    throw new ArgumentTypeError(`errors must be "log" or "node", got ${describeValue(errors)}`);
  }
  if (signals !== undefined && signals !== "graceful" && signals !== "node") {
    throw new ArgumentTypeError(`signals must be "graceful" or "node", got ${describeValue(signals)}`);
  }
  if (shutdownTimeout !== undefined) checkNonNegative(shutdownTimeout, "shutdownTimeout");
  const previous = { ...settings };
  Object.assign(settings, Object.fromEntries(Object.entries(policy).filter(([, value]) => value !== undefined)));
  if (settings.errors === "node") remove(["uncaughtException", "unhandledRejection"]);
  if (settings.signals === "node") remove(SIGNALS);
  return previous;
}

function installErrorPolicy(): void {
  if (settings.errors !== "log") return;
  const added = add("uncaughtException", onUncaughtException) + add("unhandledRejection", onUnhandledRejection);
  if (added > 0) {
    // Errors thrown in the synchronous run that installed the policy (the main module's, for
    // `app.listen(); IOLoop.current().start();`) are startup errors. nextTick runs right after
    // it, before any timer or I/O callback can fire.
    armed = false;
    process.nextTick(() => (armed = true));
  }
}

/**
 * Installs the policy, errors and signals (idempotent), and registers `loop` to be stopped by
 * a signal. IOLoop.start() and Application.listen() call it; call it yourself in a program
 * that does neither.
 */
export function installProcessPolicy(loop?: StoppableLoop): void {
  installErrorPolicy();
  if (loop !== undefined) {
    for (const known of loops) if (!known.running) loops.delete(known);
    loops.add(loop);
  }
  if (settings.signals !== "graceful") return;
  for (const signal of SIGNALS) add(signal, onSignal);
}

/** @internal A listening server, for the graceful stop (TCPServer registers itself). */
export function trackServer(server: StoppableServer): void {
  servers.add(server);
}

/** @internal A server that stopped listening. */
export function untrackServer(server: StoppableServer): void {
  servers.delete(server);
}

function add(event: string, listener: (...args: never[]) => void): number {
  // Someone else's listener (a test runner, the application's own) decides for that event.
  if (installed.has(event) || process.listenerCount(event) > 0) return 0;
  process.on(event, listener as (...args: unknown[]) => void);
  installed.set(event, listener);
  return 1;
}

function remove(events: readonly string[]): void {
  for (const event of events) {
    const listener = installed.get(event);
    if (listener === undefined) continue;
    process.removeListener(event, listener as (...args: unknown[]) => void);
    installed.delete(event);
  }
}

function isFatal(error: unknown): boolean {
  return error instanceof AddressInUseError || (error as { code?: unknown } | null)?.code === "ERR_INTERNAL_ASSERTION";
}

function exitOn(error: unknown, what: string): void {
  appLog.log(LogLevel.CRITICAL, `${what}; exiting`, error);
  process.exit(1);
}

function onUncaughtException(error: Error, origin: string): void {
  if (origin === "unhandledRejection") return exitOn(error, "Top-level await or module evaluation failed");
  if (!armed || isFatal(error)) return exitOn(error, "Uncaught exception while starting");
  appLog.error("Uncaught exception outside a request handler (the process goes on)", error);
}

function onUnhandledRejection(reason: unknown): void {
  if (!armed || isFatal(reason)) return exitOn(reason, "Unhandled rejection while starting");
  appLog.error("Unhandled rejection outside a request handler (the process goes on)", reason);
}

function onSignal(signal: StopSignal): void {
  if (stopping !== null) {
    // npm, pnpm and watchers relay to their child the signal the terminal already sent to the
    // whole process group: a repeat this soon is the same Ctrl-C, not a second one.
    if (performance.now() - stopping < SAME_SIGNAL_MS) return;
    genLog.warning(`${signal} again: exiting without waiting`);
    process.exit(128 + constants.signals[signal]);
  }
  stopping = performance.now();
  genLog.warning(`${signal}: stopping gracefully (send it again to exit at once)`);
  let closed = false;
  setTimeout(() => {
    if (!closed) {
      genLog.warning(`connections still open ${settings.shutdownTimeout} s after ${signal}: exiting`);
      process.exit(1);
    }
    genLog.warning(`the process did not end ${settings.shutdownTimeout} s after ${signal} (open timers or sockets): exiting`);
    process.exit(process.exitCode ?? 0);
  }, settings.shutdownTimeout * 1000).unref();
  const closing = [...servers].map((server): Promise<void> => {
    if (typeof server.shutdown === "function") return server.shutdown(Math.max(settings.shutdownTimeout, 0.001));
    server.stop();
    if (typeof server.closeAllConnections === "function") return server.closeAllConnections();
    server.stop({ closeStreams: true });
    return Promise.resolve();
  });
  void Promise.allSettled(closing)
    .then(() => syncWithPrimary())
    .then(() => {
      closed = true;
      for (const loop of loops) if (loop.running) loop.stop();
      // A cluster worker's IPC channel would keep it alive: leave the cluster, so that it
      // ends by itself like any other process (status 0: forkProcesses does not restart it).
      if (cluster.isWorker && process.connected) cluster.worker?.disconnect();
    });
}

/**
 * @internal onShutdown() takes `signals` over: the policy's own stop no longer runs on them
 * (onShutdown's handlers do the stopping).
 */
export function yieldSignals(signals: readonly string[]): void {
  remove(signals.filter((signal) => (SIGNALS as readonly string[]).includes(signal)));
}
