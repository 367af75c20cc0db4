/**
 * The primary's side of forkProcesses: forks the workers, restarts the ones that fail under
 * Tornado's rules, and replaces them one at a time on request (a rolling restart).
 */

import cluster, { type Worker } from "node:cluster";
import { ForkProcessesError } from "../errors";
import { genLog } from "../log/logger";

/** Carries the task id from the primary to each worker it forks. */
export const TASK_ID_ENV = "TORNADO_TASK_ID";
/** The message of syncWithPrimary, sent by the worker and echoed by the primary. */
const SYNC = "tornado:sync";

/**
 * serving: restarted when it fails. starting: a replacement not yet listening (the worker it
 * replaces still serves; if it dies it is not restarted). retiring: replaced, asked to stop.
 */
type Role = "serving" | "starting" | "retiring";

interface Child {
  readonly taskId: number;
  readonly worker: Worker;
  role: Role;
}

export class WorkerSupervisor {
  readonly #children = new Map<number, Child>(); // cluster worker id -> child
  readonly #maxRestarts: number;
  readonly #giveUp: (error: Error) => void;
  #restarts = 0;
  #replacing = false;
  #stopping = false;

  /** @param giveUp called once, when a failed worker would be restarted past maxRestarts */
  constructor(maxRestarts: number, giveUp: (error: Error) => void) {
    this.#maxRestarts = maxRestarts;
    this.#giveUp = giveUp;
    cluster.on("exit", this.#onExit);
  }

  start(count: number): void {
    genLog.info(`Starting ${count} processes`);
    for (let id = 0; id < count; id++) this.#fork(id, "serving");
  }

  #fork(taskId: number, role: Role): Child {
    const worker = cluster.fork({ [TASK_ID_ENV]: String(taskId) });
    worker.on("message", (message: unknown) => {
      if (message === SYNC && worker.isConnected()) worker.send(SYNC);
    });
    const child: Child = { taskId, worker, role };
    this.#children.set(worker.id, child);
    return child;
  }

  readonly #onExit = (worker: Worker, code: number | null, signal: string | null): void => {
    const child = this.#children.get(worker.id);
    if (child === undefined) return;
    this.#children.delete(worker.id);
    const { taskId: id, role } = child;
    const pid = worker.process.pid;
    if (role === "retiring") {
      genLog.info(`child ${id} (pid ${pid}) replaced, exited with ${signal ?? `status ${code}`}`);
      return;
    }
    if (role === "starting") {
      genLog.warning(`replacement for child ${id} (pid ${pid}) exited with ${signal ?? `status ${code}`} before listening`);
      return;
    }
    if (signal) {
      genLog.warning(`child ${id} (pid ${pid}) killed by signal ${signal}, restarting`);
    } else if (code !== 0) {
      genLog.warning(`child ${id} (pid ${pid}) exited with status ${code}, restarting`);
    } else {
      genLog.info(`child ${id} (pid ${pid}) exited normally`);
      if (this.#children.size === 0) {
        cluster.off("exit", this.#onExit);
        // All children exited cleanly: exit rather than return to the caller's code, which
        // would start serving in the primary (Tornado does sys.exit(0) here too).
        process.exit(0);
      }
      return;
    }
    this.#restarts += 1;
    if (this.#restarts > this.#maxRestarts) {
      cluster.off("exit", this.#onExit);
      this.#giveUp(new ForkProcessesError("Too many child restarts, giving up"));
      return;
    }
    this.#fork(id, "serving");
  };

  /**
   * Replaces every serving worker, one task id at a time: forks the replacement, waits until
   * it listens, then sends the old worker SIGTERM and waits until it exits (SIGKILL after
   * `timeoutMs`). A replacement that exits or does not listen within `timeoutMs` stops the
   * restart (the old worker keeps serving) and rejects.
   */
  async replaceAll(timeoutMs: number): Promise<void> {
    if (this.#stopping) throw new ForkProcessesError("the workers are stopping");
    if (this.#replacing) throw new ForkProcessesError("a rolling restart is already under way");
    this.#replacing = true;
    try {
      const serving = [...this.#children.values()].filter((child) => child.role === "serving");
      serving.sort((a, b) => a.taskId - b.taskId);
      for (const old of serving) {
        if (!this.#children.has(old.worker.id) || old.role !== "serving") continue; // died meanwhile, already restarted
        await this.#replace(old, timeoutMs);
      }
    } finally {
      this.#replacing = false;
    }
  }

  /**
   * Sends SIGTERM to every worker and resolves once all have exited (those still running
   * after `timeoutMs` are killed). None is restarted.
   */
  async stopAll(timeoutMs: number): Promise<void> {
    this.#stopping = true;
    const children = [...this.#children.values()];
    for (const child of children) child.role = "retiring";
    await Promise.all(children.map(({ worker }) => stopWorker(worker, timeoutMs)));
  }

  async #replace(old: Child, timeoutMs: number): Promise<void> {
    const fresh = this.#fork(old.taskId, "starting");
    const listening = await waitFor(fresh.worker, "listening", timeoutMs);
    if (listening !== "listening") {
      fresh.role = "retiring";
      if (listening === "timeout") fresh.worker.process.kill("SIGKILL");
      throw new ForkProcessesError(
        `the replacement for child ${old.taskId} ${listening === "exit" ? "exited" : `did not listen within ${timeoutMs / 1000} s`}; child ${old.taskId} keeps serving`,
      );
    }
    // The old worker may have failed meanwhile and been restarted under the rules: retire
    // whichever worker serves this task id now.
    const current = [...this.#children.values()].find((child) => child.taskId === old.taskId && child.role === "serving");
    fresh.role = "serving";
    if (current === undefined) return;
    current.role = "retiring";
    await stopWorker(current.worker, timeoutMs);
  }
}

/** SIGTERM, then SIGKILL if the worker has not exited after `timeoutMs`. */
async function stopWorker(worker: Worker, timeoutMs: number): Promise<void> {
  if (worker.isDead()) return;
  worker.process.kill("SIGTERM");
  if ((await waitFor(worker, "exit", timeoutMs)) === "timeout") {
    genLog.warning(`worker pid ${worker.process.pid} did not exit within ${timeoutMs / 1000} s of SIGTERM, killing it`);
    worker.process.kill("SIGKILL");
    await waitFor(worker, "exit", timeoutMs);
  }
}

/** Resolves with the event that came first: `event`, the worker's exit, or the timeout. */
function waitFor(worker: Worker, event: "listening" | "exit", timeoutMs: number): Promise<"listening" | "exit" | "timeout"> {
  if (worker.isDead()) return Promise.resolve("exit");
  return new Promise((resolve) => {
    const done = (result: "listening" | "exit" | "timeout"): void => {
      clearTimeout(timer);
      worker.off(event, onEvent);
      worker.off("exit", onExit);
      resolve(result);
    };
    const onEvent = (): void => done(event);
    const onExit = (): void => done("exit");
    const timer = setTimeout(() => done("timeout"), timeoutMs);
    worker.once(event, onEvent);
    worker.once("exit", onExit);
  });
}

/**
 * In a worker: resolves once every connection the primary handed to this worker before it
 * learned that the worker stopped listening has arrived here (and been sent back, the server
 * being closed). Node's round-robin primary passes each accepted connection to a worker over
 * IPC; a worker that exits with one still on the way leaves that client waiting forever. The
 * IPC channel keeps order both ways, so once the primary's echo of a message sent after the
 * close is back, nothing is left on the way. Gives up after `timeoutMs`.
 */
export function syncWithPrimary(timeoutMs = 2000): Promise<void> {
  if (!cluster.isWorker || !process.connected || process.env[TASK_ID_ENV] === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      process.off("message", onMessage);
      resolve();
    };
    const onMessage = (message: unknown): void => {
      if (message === SYNC) done();
    };
    const timer = setTimeout(done, timeoutMs);
    process.on("message", onMessage);
    process.send!(SYNC);
  });
}
