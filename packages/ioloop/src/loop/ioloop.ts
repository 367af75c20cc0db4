/**
 * IOLoop on Node's own event loop. Node already runs one event loop per process (and per
 * worker thread); IOLoop is Tornado's API over it: callbacks, timeouts, futures, and a
 * start()/stop() pair that keeps the process alive.
 *
 * Tornado: tornado.ioloop.IOLoop.
 */

import { ArgumentTypeError, checkCallback, checkFinite, checkNonNegative, describeValue, isThenable } from "@tornado/util";
import { IOLoopStateError, TimeoutError } from "../errors";
import { appLog } from "../log/logger";
import { installProcessPolicy } from "../process/process-policy";
import { callbackName } from "./callback-name";
import { HeapStorage } from "../queues/heap-storage";
import { TimeoutHandle, loopTime } from "./timeout-handle";
import { ThreadPoolExecutor, type TaskReference } from "../concurrent/thread-pool-executor";

const byDeadline = (a: TimeoutHandle, b: TimeoutHandle): number => a.deadline - b.deadline || a._order - b._order;

/** A deadline relative to now, Tornado's `timedelta` form for addTimeout. */
export interface RelativeDeadline {
  /** Seconds from now. */
  readonly seconds: number;
}

export interface IOLoopOptions {
  /**
   * Make this loop the current one. Default: only when no loop is current. `true` throws an
   * IOLoopStateError if another loop is already current. Tornado: IOLoop(make_current=...).
   */
  makeCurrent?: boolean;
}

export interface RunSyncOptions {
  /** Seconds; reject with TimeoutError when `fn` has not settled by then. Default: no limit. */
  timeout?: number | null;
}

/** The longest delay setInterval accepts; the keep-alive timer never actually fires. */
const KEEP_ALIVE_MS = 2 ** 31 - 1;

let currentLoop: IOLoop | null = null;

function noop(): void {}

/**
 * Tornado's IOLoop, a thin layer over Node's event loop.
 *
 * There is one current loop per process (per worker thread, since each thread has its own
 * module state): `IOLoop.current()`. Node's loop always runs, so callbacks and timeouts fire
 * whether or not start() was called; start() only keeps the process alive until stop(), as
 * Tornado's blocking start() does. runSync() cannot block either: it returns a Promise.
 *
 * @example
 * const loop = IOLoop.current();
 * loop.callLater(0.5, () => loop.stop());
 * await loop.start(); // resolves after stop()
 */
export class IOLoop {
  #closed = false;
  #running = false;
  #stopRequested = false;
  #resolveStart: (() => void) | null = null;
  #previousCurrent: IOLoop | null = null;
  readonly #timeouts = new Set<TimeoutHandle>();
  // The same handles by deadline (removed ones leave lazily), to run due ones in order.
  #byDeadline = new HeapStorage<TimeoutHandle>(byDeadline);
  #removed = 0;
  #holds = 0;
  #keepAlive: NodeJS.Timeout | null = null;
  #defaultExecutor: ThreadPoolExecutor | null = null;
  #ownsDefaultExecutor = false;

  /**
   * The current IOLoop, created (and made current) on first use unless `instance` is false.
   * Tornado: IOLoop.current(instance=True).
   */
  static current(): IOLoop;
  static current(instance: false): IOLoop | null;
  static current(instance: boolean): IOLoop | null;
  static current(instance = true): IOLoop | null {
    if (currentLoop === null && instance) {
      currentLoop = new IOLoop();
    }
    return currentLoop;
  }

  /** Forgets the current loop; the next current() creates a new one. Tornado: clear_current. */
  static clearCurrent(): void {
    currentLoop = null;
  }

  constructor(options: IOLoopOptions = {}) {
    if (options === null || typeof options !== "object") {
      throw new ArgumentTypeError(`options must be an object, got ${describeValue(options)}`);
    }
    const { makeCurrent } = options;
    if (makeCurrent === true) {
      if (currentLoop !== null) {
        throw new IOLoopStateError("current IOLoop already exists");
      }
      currentLoop = this;
    } else if (makeCurrent === undefined && currentLoop === null) {
      currentLoop = this;
    }
  }

  /** Makes this loop the one IOLoop.current() returns. Tornado: make_current (deprecated there). */
  makeCurrent(): void {
    this.#assertOpen();
    currentLoop = this;
  }

  /** True while start() is in effect (between start() and stop()). */
  get running(): boolean {
    return this.#running;
  }

  /** True after close(). */
  get closed(): boolean {
    return this.#closed;
  }

  /** Monotonic time in seconds (performance.now based), the clock of callAt and addTimeout. Tornado: IOLoop.time. */
  time(): number {
    return loopTime();
  }

  /**
   * Calls `callback(...args)` on the next loop iteration (setImmediate), after the current
   * callback and its microtasks. Errors, thrown or as a rejected promise, are logged to appLog
   * as "Exception in callback ..." and do not stop the loop. Dropped silently once the loop
   * is closed. Tornado: IOLoop.add_callback.
   */
  addCallback<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): void {
    checkCallback(callback);
    if (this.#closed) return;
    setImmediate(() => {
      if (!this.#closed) this.#runCallback(callback, args);
    });
  }

  /** As addCallback; Node delivers signals on the loop already. Tornado: add_callback_from_signal (deprecated). */
  addCallbackFromSignal<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): void {
    this.addCallback(callback, ...args);
  }

  /** As addCallback (they are equivalent since Tornado 6.0). Tornado: IOLoop.spawn_callback. */
  spawnCallback<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): void {
    this.addCallback(callback, ...args);
  }

  /**
   * Calls `callback(promise)` on the loop once `promise` settles, fulfilled or rejected; the
   * callback awaits the promise it is given to get the value or the error.
   * Tornado: IOLoop.add_future.
   */
  addFuture<T>(promise: PromiseLike<T>, callback: (future: Promise<T>) => unknown): void {
    if (!isThenable(promise)) {
      throw new ArgumentTypeError(`future must be a Promise, got ${describeValue(promise)}`);
    }
    checkCallback(callback);
    const settled = Promise.resolve(promise);
    settled.then(
      () => this.addCallback(callback, settled),
      () => this.addCallback(callback, settled),
    );
  }

  /**
   * Runs `callback(...args)` after `delay` seconds. Returns a handle for removeTimeout.
   * Tornado: IOLoop.call_later.
   * @param delay seconds, finite (0 or negative: as soon as possible)
   */
  callLater<A extends unknown[]>(delay: number, callback: (...args: A) => unknown, ...args: A): TimeoutHandle {
    checkFinite(delay, "delay");
    return this.#schedule(this.time() + delay, callback, args);
  }

  /**
   * Runs `callback(...args)` at the absolute loop time `when` (seconds, same clock as time()).
   * Tornado: IOLoop.call_at.
   */
  callAt<A extends unknown[]>(when: number, callback: (...args: A) => unknown, ...args: A): TimeoutHandle {
    checkFinite(when, "when");
    return this.#schedule(when, callback, args);
  }

  /**
   * Runs `callback(...args)` at `deadline`: an absolute loop time in seconds (as time()), or
   * `{ seconds }` relative to now (Tornado's timedelta form). Tornado: IOLoop.add_timeout.
   */
  addTimeout<A extends unknown[]>(
    deadline: number | RelativeDeadline,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimeoutHandle {
    if (typeof deadline === "number") {
      checkFinite(deadline, "deadline");
      return this.#schedule(deadline, callback, args);
    }
    if (deadline !== null && typeof deadline === "object" && "seconds" in deadline) {
      checkFinite(deadline.seconds, "deadline.seconds");
      return this.#schedule(this.time() + deadline.seconds, callback, args);
    }
    throw new ArgumentTypeError(
      `deadline must be an absolute loop time in seconds or { seconds }, got ${describeValue(deadline)}`,
    );
  }

  /**
   * Cancels a pending timeout. Removing one that already ran, or null/undefined, is a no-op.
   * Tornado: IOLoop.remove_timeout.
   */
  removeTimeout(handle: TimeoutHandle | null | undefined): void {
    if (handle === null || handle === undefined) return;
    if (!(handle instanceof TimeoutHandle)) {
      throw new ArgumentTypeError(`handle must be a TimeoutHandle, got ${describeValue(handle)}`);
    }
    handle.cancel();
    if (this.#timeouts.delete(handle)) this.#forget();
  }

  /**
   * Runs `fn(...args)` on `executor` (null: the default one, a ThreadPoolExecutor of
   * cpuCount() threads made on first use) and resolves with its result; errors come back with
   * their class, message, stack and code. `fn` is sent to a worker thread as source (it sees
   * only its arguments and `require()`), or is a `{ filename, name }` export.
   * Tornado: IOLoop.run_in_executor.
   */
  runInExecutor<A extends unknown[], R>(
    executor: ThreadPoolExecutor | null,
    fn: ((...args: A) => R) | TaskReference,
    ...args: A
  ): Promise<Awaited<R>> {
    if (executor !== null && !(executor instanceof ThreadPoolExecutor)) {
      throw new ArgumentTypeError(`executor must be a ThreadPoolExecutor or null, got ${describeValue(executor)}`);
    }
    this.#assertOpen();
    if (executor === null && this.#defaultExecutor === null) {
      this.#defaultExecutor = new ThreadPoolExecutor();
      this.#ownsDefaultExecutor = true;
    }
    return (executor ?? (this.#defaultExecutor as ThreadPoolExecutor)).submit(fn, ...args);
  }

  /** Sets the executor runInExecutor(null, ...) uses. Tornado: IOLoop.set_default_executor. */
  setDefaultExecutor(executor: ThreadPoolExecutor): void {
    if (!(executor instanceof ThreadPoolExecutor)) {
      throw new ArgumentTypeError(`executor must be a ThreadPoolExecutor, got ${describeValue(executor)}`);
    }
    if (this.#ownsDefaultExecutor) void this.#defaultExecutor?.shutdown({ wait: false });
    this.#defaultExecutor = executor;
    this.#ownsDefaultExecutor = false;
  }

  /**
   * Runs `fn` and resolves with its result (awaited when it returns a promise). Node cannot
   * block, so where Tornado's run_sync returns the value this returns a Promise of it. While
   * pending the process is kept alive and this loop is current. With `timeout` (seconds) it
   * rejects with TimeoutError("Operation timed out after N seconds"); `fn`'s work is not
   * cancelled (a Promise cannot be). A plain value is accepted (Tornado raises BadYieldError).
   * Tornado: IOLoop.run_sync.
   */
  runSync<T>(fn: () => T | PromiseLike<T>, options: RunSyncOptions = {}): Promise<Awaited<T>> {
    checkCallback(fn, "func");
    if (options === null || typeof options !== "object") {
      throw new ArgumentTypeError(`options must be an object, got ${describeValue(options)}`);
    }
    const timeout = options.timeout ?? null;
    if (timeout !== null) checkNonNegative(timeout, "timeout");
    if (this.#closed) {
      return Promise.reject(new IOLoopStateError("IOLoop is closed"));
    }

    const previous = currentLoop;
    currentLoop = this;
    this.#hold();
    return new Promise<Awaited<T>>((resolve, reject) => {
      let settled = false;
      let timer: TimeoutHandle | null = null;
      const finish = (): boolean => {
        if (settled) return false;
        settled = true;
        this.removeTimeout(timer);
        this.#release();
        if (currentLoop === this && previous !== this) {
          currentLoop = previous !== null && previous.closed ? null : previous;
        }
        return true;
      };
      let result: Promise<Awaited<T>>;
      try {
        result = Promise.resolve(fn()) as Promise<Awaited<T>>;
      } catch (error) {
        result = Promise.reject(error);
      }
      if (timeout !== null) {
        timer = this.callLater(timeout, () => {
          if (finish()) reject(new TimeoutError(`Operation timed out after ${timeout} seconds`));
        });
      }
      result.then(
        (value) => {
          if (finish()) resolve(value);
        },
        (error: unknown) => {
          if (finish()) reject(error);
        },
      );
    });
  }

  /**
   * Keeps the process alive (a ref'd timer) until stop(); resolves then. Makes this loop
   * current while running. Throws IOLoopStateError if already running or closed. If stop()
   * was called while the loop was not running, returns at once (as Tornado documents).
   * Installs the process policy (process-policy.ts): uncaught errors are logged and the
   * process goes on; SIGINT/SIGTERM stop servers and this loop gracefully.
   * Tornado: IOLoop.start (which blocks; here, await it).
   */
  start(): Promise<void> {
    this.#assertOpen();
    if (this.#running) {
      throw new IOLoopStateError("IOLoop is already running");
    }
    if (this.#stopRequested) {
      this.#stopRequested = false;
      return Promise.resolve();
    }
    this.#running = true;
    this.#previousCurrent = currentLoop;
    currentLoop = this;
    this.#hold();
    installProcessPolicy(this);
    return new Promise<void>((resolve) => {
      this.#resolveStart = resolve;
    });
  }

  /**
   * Ends start(): the keep-alive is released and start()'s promise resolves. Pending callbacks
   * and timeouts stay scheduled. Tornado: IOLoop.stop.
   */
  stop(): void {
    if (!this.#running) {
      if (!this.#closed) this.#stopRequested = true;
      return;
    }
    this.#running = false;
    this.#release();
    const previous = this.#previousCurrent;
    if (currentLoop === this && previous !== this) {
      currentLoop = previous !== null && previous.closed ? null : previous;
    }
    this.#previousCurrent = null;
    const resolve = this.#resolveStart;
    this.#resolveStart = null;
    resolve?.();
  }

  /**
   * Stops the loop, cancels its pending timeouts, drops its pending callbacks, and makes later
   * addCallback calls no-ops (timeouts throw). If it was current, current() makes a new loop
   * next time. Idempotent. Sockets are not tracked by the loop (Tornado's all_fds has no
   * counterpart): close streams and servers yourself. Tornado: IOLoop.close.
   */
  close(): void {
    if (this.#closed) return;
    this.stop();
    this.#stopRequested = false;
    this.#closed = true;
    for (const handle of this.#timeouts) handle.cancel();
    this.#timeouts.clear();
    this.#byDeadline = new HeapStorage<TimeoutHandle>(byDeadline);
    this.#removed = 0;
    this.#holds = 0;
    if (this.#ownsDefaultExecutor) void this.#defaultExecutor?.shutdown({ wait: false });
    this.#defaultExecutor = null;
    if (this.#keepAlive !== null) {
      clearInterval(this.#keepAlive);
      this.#keepAlive = null;
    }
    if (currentLoop === this) currentLoop = null;
  }

  toString(): string {
    const state = this.#closed ? "closed" : this.#running ? "running" : "idle";
    return `<IOLoop ${state} timeouts=${this.#timeouts.size}>`;
  }

  #schedule(when: number, callback: (...args: never[]) => unknown, args: unknown[]): TimeoutHandle {
    checkCallback(callback);
    this.#assertOpen();
    const handle: TimeoutHandle = new TimeoutHandle(
      when,
      () => {
        this.#timeouts.delete(handle);
        this.#runCallback(callback, args);
      },
      this.#runDue,
    );
    this.#timeouts.add(handle);
    this.#byDeadline.push(handle);
    return handle;
  }

  // A timer fired: runs the due timeout with the earliest deadline (Tornado's order), one per
  // timer turn so that promise reactions run in between as with plain timers. When that is not
  // the one that fired, the one that fired takes the next turn; a callback that removes it
  // meanwhile stops it.
  readonly #runDue = (fired: TimeoutHandle): void => {
    const heap = this.#byDeadline;
    let next = heap.peek();
    while (next !== undefined && !next.active) {
      heap.take();
      if (this.#removed > 0) this.#removed -= 1;
      next = heap.peek();
    }
    if (next === undefined || next.deadline > fired.deadline) return;
    heap.take();
    next._run();
    if (next !== fired) fired._rearm();
  };

  // A removed timeout stays in the heap until its deadline; rebuild when they are most of it.
  #forget(): void {
    this.#removed += 1;
    if (this.#removed > 512 && this.#removed > this.#timeouts.size) {
      this.#byDeadline = new HeapStorage<TimeoutHandle>(byDeadline);
      for (const handle of this.#timeouts) this.#byDeadline.push(handle);
      this.#removed = 0;
    }
  }

  #runCallback(callback: (...args: never[]) => unknown, args: unknown[]): void {
    try {
      const result = (callback as (...args: unknown[]) => unknown)(...args);
      if (isThenable(result)) {
        result.then(noop, (error: unknown) => this.#logCallbackError(callback, error));
      }
    } catch (error) {
      this.#logCallbackError(callback, error);
    }
  }

  #logCallbackError(callback: (...args: never[]) => unknown, error: unknown): void {
    appLog.error(`Exception in callback ${callbackName(callback)}`, error);
  }

  #assertOpen(): void {
    if (this.#closed) throw new IOLoopStateError("IOLoop is closed");
  }

  #hold(): void {
    this.#holds += 1;
    if (this.#keepAlive === null) {
      this.#keepAlive = setInterval(noop, KEEP_ALIVE_MS);
    }
  }

  #release(): void {
    if (this.#holds > 0) this.#holds -= 1;
    if (this.#holds === 0 && this.#keepAlive !== null) {
      clearInterval(this.#keepAlive);
      this.#keepAlive = null;
    }
  }
}
