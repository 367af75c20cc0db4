/**
 * onShutdown: a graceful stop when the process is asked to stop. restartWorkers and
 * stopWorkers send a worker SIGTERM, as systemd, Kubernetes and Docker do; Ctrl-C sends SIGINT.
 */

import { ArgumentTypeError, checkCallback, checkPositive, describeValue } from "@tornado/util";
import { appLog, genLog } from "../log/logger";
import { yieldSignals } from "./process-policy";
import { syncWithPrimary } from "./worker-supervisor";

/** Options of onShutdown. */
export interface ShutdownOptions {
  /** Seconds the handlers may take before the process exits anyway (status 1); default 30. */
  timeout?: number;
  /** The signals that start the shutdown; default `["SIGTERM", "SIGINT"]`. */
  signals?: NodeJS.Signals[];
}

interface Registration {
  readonly handler: () => unknown;
  readonly timeoutMs: number;
  readonly signals: readonly NodeJS.Signals[];
}

const registrations = new Set<Registration>();
const listening = new Set<NodeJS.Signals>();
let shuttingDown = false;

/**
 * Runs `handler` (sync or async) when the process gets one of `signals`, then exits: status 0
 * once every registered handler settled, 1 if one threw or they took longer than `timeout`.
 * Signals that arrive during the shutdown are ignored. Returns a function that unregisters
 * the handler (the process then reacts to those signals as it did before, once no handler is
 * left). Typical handler: `() => server.shutdown()` (HTTPServer: stop accepting, finish the
 * requests in flight, close WebSockets with 1001), then close brokers and databases.
 *
 * @example
 * const server = await app.listen(8888);
 * onShutdown(async () => { await server.shutdown(); await broker.close(); });
 */
export function onShutdown(handler: () => unknown, options: ShutdownOptions = {}): () => void {
  checkCallback(handler, "handler");
  const timeout = options.timeout ?? 30;
  checkPositive(timeout, "timeout", "seconds");
  const signals = options.signals ?? ["SIGTERM", "SIGINT"];
  if (!Array.isArray(signals) || signals.length === 0 || signals.some((signal) => typeof signal !== "string")) {
    throw new ArgumentTypeError(`signals must be a non-empty array of signal names, got ${describeValue(signals)}`);
  }
  const registration: Registration = { handler, timeoutMs: timeout * 1000, signals: [...signals] };
  registrations.add(registration);
  // The process policy's own graceful stop (IOLoop.start, Application.listen) steps aside:
  // these handlers decide what stops, and the process exits after them.
  yieldSignals(registration.signals);
  updateListeners();
  return () => {
    registrations.delete(registration);
    updateListeners();
  };
}

/** Listens to the union of the registrations' signals, and to nothing once none is left. */
function updateListeners(): void {
  const wanted = new Set<NodeJS.Signals>();
  for (const registration of registrations) for (const signal of registration.signals) wanted.add(signal);
  for (const signal of listening) {
    if (!wanted.has(signal)) {
      process.off(signal, onSignal);
      listening.delete(signal);
    }
  }
  for (const signal of wanted) {
    if (!listening.has(signal)) {
      process.on(signal, onSignal);
      listening.add(signal);
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  if (shuttingDown) return;
  shuttingDown = true;
  const chosen = [...registrations].filter((registration) => registration.signals.includes(signal));
  const timeoutMs = Math.max(...chosen.map((registration) => registration.timeoutMs));
  genLog.info(`${signal} received, shutting down`);
  const timer = setTimeout(() => {
    genLog.warning(`shutdown took longer than ${timeoutMs / 1000} s, exiting`);
    process.exit(1);
  }, timeoutMs);
  let failed = false;
  const runs = chosen.map(async ({ handler }) => {
    try {
      await handler();
    } catch (error) {
      failed = true;
      appLog.error("Exception in a shutdown handler", error);
    }
  });
  void Promise.all(runs)
    .then(() => syncWithPrimary())
    .then(() => {
      clearTimeout(timer);
      process.exit(failed ? 1 : 0);
    });
}
