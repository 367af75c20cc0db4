/**
 * ThreadPoolExecutor: blocking or CPU-heavy calls on a pool of worker threads, so that the
 * event loop keeps serving. Built on node:worker_threads directly (see README: why not
 * piscina): a task is a self-contained function, shipped as source, or a function exported
 * by a module; its errors come back with their class, message, stack and code.
 *
 * Tornado: concurrent.futures.ThreadPoolExecutor as IOLoop.run_in_executor and
 * run_on_executor use it.
 */

import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { ArgumentTypeError, checkPositiveInteger, describeValue } from "@tornado/util";
import { ExecutorError } from "../errors";
import { cpuCount } from "../process/process";
import { rebuildError, SERIALIZE_ERROR_SOURCE, type SerializedError } from "./worker-errors";

/** A function exported by a module, for a task that needs imports. */
export interface TaskReference {
  /** Absolute path or file: URL of an ES or CommonJS module. */
  readonly filename: string;
  /** The export's name ("default" for a default export). */
  readonly name: string;
}

export interface ThreadPoolExecutorOptions {
  /** Threads at most; default cpuCount(). Python: max_workers. */
  maxWorkers?: number;
}

type TaskMessage =
  | { id: number; kind: "source"; source: string; args: unknown[] }
  | { id: number; kind: "module"; url: string; name: string; args: unknown[] };
type ResultMessage = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };

interface Task {
  message: TaskMessage;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

// The worker: compiles shipped functions once per source, imports modules once, and answers
// each task with its value or a description of what it threw.
const WORKER_SOURCE = `
"use strict";
const { parentPort } = require("node:worker_threads");
globalThis.require = require;
const compiled = new Map();
${SERIALIZE_ERROR_SOURCE}
function compile(source) {
  let fn;
  try { fn = (0, eval)("(" + source + ")"); }
  catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const holder = (0, eval)("({" + source + "})"); // a method: name(args) { ... }
    fn = holder[Object.keys(holder)[0]];
  }
  if (typeof fn !== "function") throw new TypeError("the task source is not a function");
  return fn;
}
parentPort.on("message", async (task) => {
  let reply;
  try {
    let fn;
    if (task.kind === "source") {
      fn = compiled.get(task.source);
      if (fn === undefined) compiled.set(task.source, (fn = compile(task.source)));
    } else {
      const module = await import(task.url);
      fn = module[task.name] ?? (module.default && module.default[task.name]);
      if (typeof fn !== "function") throw new TypeError(task.url + " exports no function " + task.name);
    }
    reply = { id: task.id, ok: true, value: await fn(...task.args) };
  } catch (error) {
    reply = { id: task.id, ok: false, error: serializeError(error) };
  }
  try { parentPort.postMessage(reply); }
  catch (error) { parentPort.postMessage({ id: task.id, ok: false, error: serializeError(error) }); }
});
`;

class PoolWorker {
  readonly worker: Worker;
  task: Task | null = null;

  constructor(onMessage: (self: PoolWorker, message: ResultMessage) => void, onExit: (self: PoolWorker, error: Error) => void) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    this.worker.unref();
    this.worker.on("message", (message: ResultMessage) => onMessage(this, message));
    this.worker.on("error", (error: Error) => onExit(this, error));
    this.worker.on("exit", (code) => onExit(this, new ExecutorError(`worker thread exited with code ${code}`)));
  }
}

/**
 * A pool of up to `maxWorkers` threads; each runs one task at a time, others wait in order.
 * Idle threads do not keep the process alive. Python: concurrent.futures.ThreadPoolExecutor.
 *
 * @example
 * const executor = new ThreadPoolExecutor({ maxWorkers: 2 });
 * const digest = await executor.submit((text: string) =>
 *   require("node:crypto").scryptSync(text, "salt", 64).toString("hex"), "secret");
 */
export class ThreadPoolExecutor {
  readonly maxWorkers: number;
  readonly #idle: PoolWorker[] = [];
  readonly #all = new Set<PoolWorker>();
  readonly #queue: Task[] = [];
  #nextId = 0;
  #shutdown = false;

  constructor(options: ThreadPoolExecutorOptions = {}) {
    this.maxWorkers = options.maxWorkers ?? cpuCount();
    checkPositiveInteger(this.maxWorkers, "maxWorkers", "threads");
  }

  /**
   * Runs `fn(...args)` on a worker thread and resolves with its (awaited) result, or rejects
   * with what it threw, class, message, stack and code kept. `fn` is either a self-contained
   * function (sent as source: it cannot see the variables around it, nor `this`; it may
   * `require()` what it needs) or a `{ filename, name }` export. Arguments and result are
   * structured-cloned (an ExecutorError when they cannot be). Python: Executor.submit.
   */
  submit<A extends unknown[], R>(fn: ((...args: A) => R) | TaskReference, ...args: A): Promise<Awaited<R>> {
    if (this.#shutdown) return Promise.reject(new ExecutorError("cannot submit after shutdown()"));
    const id = this.#nextId++;
    let message: TaskMessage;
    if (typeof fn === "function") {
      message = { id, kind: "source", source: Function.prototype.toString.call(fn), args };
    } else if (fn !== null && typeof fn === "object" && typeof fn.filename === "string" && typeof fn.name === "string") {
      const url = fn.filename.startsWith("file:") ? fn.filename : pathToFileURL(fn.filename).href;
      message = { id, kind: "module", url, name: fn.name, args };
    } else {
      throw new ArgumentTypeError(`fn must be a function or { filename, name }, got ${describeValue(fn)}`);
    }
    return new Promise<Awaited<R>>((resolve, reject) => {
      this.#queue.push({ message, resolve: resolve as (value: unknown) => void, reject });
      this.#dispatch();
    });
  }

  /**
   * Refuses new tasks; with `wait` (default true) resolves once the queued and running ones
   * are done, then stops the threads. Without, stops them now, rejecting what is pending with
   * ExecutorError. Python: Executor.shutdown(wait=True).
   */
  async shutdown(options: { wait?: boolean } = {}): Promise<void> {
    this.#shutdown = true;
    if (options.wait === false) {
      for (const task of this.#queue.splice(0)) task.reject(new ExecutorError("executor shut down"));
    }
    while (options.wait !== false && (this.#queue.length > 0 || this.#idle.length < this.#all.size)) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const workers = [...this.#all];
    this.#all.clear();
    this.#idle.length = 0;
    for (const pool of workers) {
      pool.task?.reject(new ExecutorError("executor shut down"));
      pool.task = null;
    }
    await Promise.all(workers.map((pool) => pool.worker.terminate()));
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      let pool = this.#idle.pop();
      if (pool === undefined) {
        if (this.#all.size >= this.maxWorkers) return;
        pool = new PoolWorker(this.#onMessage, this.#onExit);
        this.#all.add(pool);
      }
      const task = this.#queue.shift() as Task;
      pool.task = task;
      pool.worker.ref(); // a running task keeps the process alive, as a pending Promise's I/O does
      try {
        pool.worker.postMessage(task.message);
      } catch (error) {
        pool.task = null;
        this.#release(pool);
        task.reject(new ExecutorError(`cannot send the task to a worker thread: ${(error as Error).message}`, { cause: error }));
      }
    }
  }

  readonly #onMessage = (pool: PoolWorker, message: ResultMessage): void => {
    const task = pool.task;
    pool.task = null;
    this.#release(pool);
    if (task !== null && task.message.id === message.id) {
      if (message.ok) task.resolve(message.value);
      else task.reject(rebuildError(message.error));
    }
    this.#dispatch();
  };

  readonly #onExit = (pool: PoolWorker, error: Error): void => {
    if (!this.#all.delete(pool)) return;
    const index = this.#idle.indexOf(pool);
    if (index !== -1) this.#idle.splice(index, 1);
    const task = pool.task;
    pool.task = null;
    task?.reject(error instanceof ExecutorError ? error : new ExecutorError(`worker thread failed: ${error.message}`, { cause: error }));
    this.#dispatch();
  };

  #release(pool: PoolWorker): void {
    if (!this.#all.has(pool)) return;
    pool.worker.unref();
    this.#idle.push(pool);
  }
}
