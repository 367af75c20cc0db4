/**
 * Multi-process helpers on node:cluster. Tornado: tornado.process (fork_processes, task_id,
 * cpu_count).
 */

import cluster from "node:cluster";
import os from "node:os";
import { ArgumentRangeError, ArgumentTypeError, describeValue } from "@tornado/util";
import { ForkProcessesError } from "../errors";
import { genLog } from "../log/logger";

/** Carries the task id from the primary to each worker it forks. */
const TASK_ID_ENV = "TORNADO_TASK_ID";

let forked = false;

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

  const count = numProcesses > 0 ? numProcesses : cpuCount();
  genLog.info(`Starting ${count} processes`);
  return new Promise<number>((_resolve, reject) => {
    const children = new Map<number, number>(); // cluster worker id -> task id
    let restarts = 0;

    const startChild = (id: number): void => {
      const worker = cluster.fork({ [TASK_ID_ENV]: String(id) });
      children.set(worker.id, id);
    };

    const onExit = (worker: { id: number; process: { pid?: number } }, code: number | null, signal: string | null) => {
      const id = children.get(worker.id);
      if (id === undefined) return;
      children.delete(worker.id);
      const pid = worker.process.pid;
      if (signal) {
        genLog.warning(`child ${id} (pid ${pid}) killed by signal ${signal}, restarting`);
      } else if (code !== 0) {
        genLog.warning(`child ${id} (pid ${pid}) exited with status ${code}, restarting`);
      } else {
        genLog.info(`child ${id} (pid ${pid}) exited normally`);
        if (children.size === 0) {
          cluster.off("exit", onExit);
          // All children exited cleanly: exit rather than return to the caller's code, which
          // would start serving in the primary (Tornado does sys.exit(0) here too).
          process.exit(0);
        }
        return;
      }
      restarts += 1;
      if (restarts > restartLimit) {
        cluster.off("exit", onExit);
        reject(new ForkProcessesError("Too many child restarts, giving up"));
        return;
      }
      startChild(id);
    };

    cluster.on("exit", onExit);
    for (let id = 0; id < count; id++) startChild(id);
  });
}
