/**
 * Multi-process helpers on node:cluster. Tornado: tornado.process (fork_processes, task_id,
 * cpu_count).
 */

import cluster from "node:cluster";
import os from "node:os";
import { ArgumentRangeError, ArgumentTypeError, checkPositive, describeValue } from "@tornado/util";
import { ForkProcessesError } from "../errors";
import { TASK_ID_ENV, WorkerSupervisor } from "./worker-supervisor";

let forked = false;
let supervisor: WorkerSupervisor | null = null;

/** Number of processors available to this process. Tornado: process.cpu_count. */
export function cpuCount(): number {
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length || 1;
}

/**
 * This worker's task id (0 to n-1) when it was started by forkProcesses, else null.
 * Tornado: process.task_id.
 */
export function taskId(): number | null {
  if (!cluster.isWorker) return null;
  const value = process.env[TASK_ID_ENV];
  if (value === undefined || !/^\d+$/.test(value)) return null;
  return Number(value);
}

/**
 * Starts `numProcesses` worker processes and supervises them, as Tornado's fork_processes.
 *
 * Node cannot fork at a point in the program: a worker runs the main script again from the
 * top. So this is called at the same place in the primary and in each worker:
 * - in a worker, it resolves with the worker's task id (0 to n-1, also taskId());
 * - in the primary it never resolves. A worker that exits with a non-zero status or by a
 *   signal is restarted with the same task id (logged as a warning to genLog), up to
 *   `maxRestarts` restarts in all, after which the promise rejects with ForkProcessesError
 *   ("Too many child restarts, giving up"). A worker that exits with status 0 is not
 *   restarted; when all have exited that way, the primary exits with status 0.
 *
 * Tornado: process.fork_processes.
 *
 * @example
 * const id = await forkProcesses(2); // only workers get here
 * await server.listen(8888, "127.0.0.1", { reusePort: true });
 *
 * @param numProcesses workers to start; 0 or less (default) means cpuCount()
 * @param maxRestarts restarts allowed in all, default 100
 */
export function forkProcesses(numProcesses = 0, maxRestarts: number | null = null): Promise<number> {
  if (typeof numProcesses !== "number" || !Number.isInteger(numProcesses)) {
    throw new ArgumentTypeError(`numProcesses must be an integer, got ${describeValue(numProcesses)}`);
  }
  const restartLimit = maxRestarts ?? 100;
  if (typeof restartLimit !== "number" || !Number.isInteger(restartLimit) || restartLimit < 0) {
    throw new ArgumentRangeError(`maxRestarts must be an integer >= 0, got ${describeValue(maxRestarts)}`);
  }
  if (forked) {
    return Promise.reject(new ForkProcessesError("forkProcesses() was already called in this process"));
  }
  forked = true;

  if (cluster.isWorker) {
    const id = taskId();
    if (id === null) {
      return Promise.reject(new ForkProcessesError("forkProcesses() called in a cluster worker it did not start"));
    }
    return Promise.resolve(id);
  }

  return new Promise<number>((_resolve, reject) => {
    supervisor = new WorkerSupervisor(restartLimit, reject);
    supervisor.start(numProcesses > 0 ? numProcesses : cpuCount());
  });
}

/**
 * A rolling restart, from the primary: replaces each worker that forkProcesses started, one
 * at a time, so that some worker always accepts. For each task id it forks the new worker,
 * waits until it listens (its first `listen()`), then sends the old one SIGTERM (let it stop
 * gracefully with onShutdown) and waits until it exits, killing it after `timeout` seconds.
 * Resolves when every worker was replaced. Rejects with ForkProcessesError in a process that
 * did not start workers, while another rolling restart runs, or when a replacement exits or
 * does not listen within `timeout` (the old worker then keeps serving).
 *
 * @example
 * if (cluster.isPrimary) process.on("SIGHUP", () => void restartWorkers().catch((e) => genLog.error("restart failed", e)));
 * const id = await forkProcesses(4);
 *
 * @param timeout seconds, default 30
 */
export function restartWorkers(timeout = 30): Promise<void> {
  checkPositive(timeout, "timeout");
  if (supervisor === null) {
    return Promise.reject(new ForkProcessesError("restartWorkers() runs in the primary, after forkProcesses()"));
  }
  return supervisor.replaceAll(timeout * 1000);
}

/**
 * Stops every worker that forkProcesses started, from the primary: sends each SIGTERM (let it
 * stop gracefully with onShutdown), kills those still running after `timeout` seconds, and
 * resolves once all have exited; none is restarted. Call it from the primary's own SIGTERM
 * handler: a primary that dies first takes its workers down at once (Node's cluster ends a
 * worker whose primary is gone), with their requests in flight.
 *
 * @example
 * if (cluster.isPrimary) process.on("SIGTERM", () => void stopWorkers());
 *
 * @param timeout seconds, default 30
 */
export function stopWorkers(timeout = 30): Promise<void> {
  checkPositive(timeout, "timeout");
  if (supervisor === null) {
    return Promise.reject(new ForkProcessesError("stopWorkers() runs in the primary, after forkProcesses()"));
  }
  return supervisor.stopAll(timeout * 1000);
}
