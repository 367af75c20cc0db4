// Ported from tornado/test/concurrent_test.py (RunOnExecutorTest) and ioloop_test.py's
// run_in_executor cases, on real worker threads; and errors carried back intact.
import { join } from "node:path";
import { threadId } from "node:worker_threads";
import {
  ExecutorError,
  IOLoop,
  StreamClosedError,
  ThreadPoolExecutor,
  runOnExecutor,
} from "@tornado/ioloop";

const TASK = join(__dirname, "..", "fixtures", "executor-task.mjs");
let executor: ThreadPoolExecutor;
beforeEach(() => (executor = new ThreadPoolExecutor({ maxWorkers: 2 })));
afterEach(() => executor.shutdown());

test("submit runs a function on another thread", async () => {
  const otherThread = await executor.submit(() => require("node:worker_threads").threadId as number);
  expect(otherThread).not.toBe(threadId);
  await expect(executor.submit((a: number, b: number) => a * b, 6, 7)).resolves.toBe(42);
  await expect(executor.submit(async (text: string) => text.toUpperCase(), "async")).resolves.toBe("ASYNC");
  await expect(executor.submit({ filename: TASK, name: "add" }, 40, 2)).resolves.toBe(42);
});

test("tasks beyond maxWorkers wait their turn; the event loop keeps running meanwhile", async () => {
  const block = (ms: number): number => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      // blocking on purpose: the work an executor is for
    }
    return require("node:worker_threads").threadId as number;
  };
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  const threads = await Promise.all([1, 2, 3, 4].map(() => executor.submit(block, 100)));
  clearInterval(timer);
  expect(new Set(threads).size).toBe(2);
  expect(ticks).toBeGreaterThan(0);
});

test("errors come back with their class, message, stack, code and cause", async () => {
  const typeError = await executor.submit(() => (null as unknown as { x: number }).x).catch((error: unknown) => error);
  expect(typeError).toBeInstanceOf(TypeError);
  expect((typeError as Error).stack).toMatch(/^TypeError: Cannot read properties of null/);

  const missing = (await executor.submit({ filename: TASK, name: "readMissing" }, "/nonexistent/file").catch((e: unknown) => e)) as NodeJS.ErrnoException;
  expect(missing).toBeInstanceOf(Error);
  expect(missing).toMatchObject({ code: "ENOENT", syscall: "open", path: "/nonexistent/file" });
  expect(missing.message).toMatch(/^ENOENT: no such file or directory/);
  expect(missing.stack).toContain("readMissing");

  const custom = (await executor.submit({ filename: TASK, name: "overQuota" }).catch((e: unknown) => e)) as Error & { code: string };
  expect(custom.name).toBe("QuotaError");
  expect(custom.code).toBe("E_QUOTA");
  expect(custom.message).toBe("quota exceeded");
  expect(custom.stack).toMatch(/^QuotaError: quota exceeded\n\s+at overQuota/);

});

test("a @tornado error keeps its class across the thread (instanceof by code)", async () => {
  const source = `() => { const { TornadoError } = require(${JSON.stringify(join(__dirname, "..", "..", "..", "util", "dist", "index.js"))});
    class StreamClosedError extends TornadoError { static code = "TORNADO_ERR_IOSTREAM_CLOSED"; }
    throw new StreamClosedError("closed over there"); }`;
  // The util package as built (the worker runs JavaScript, not the TypeScript sources).
  const error = await executor.submit(eval(source) as () => void).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StreamClosedError);
  expect(error).toMatchObject({ code: "TORNADO_ERR_IOSTREAM_CLOSED", name: "StreamClosedError", message: "closed over there" });
});

test("what cannot cross the thread boundary is an ExecutorError", async () => {
  await expect(executor.submit((f: unknown) => f, () => 1)).rejects.toBeInstanceOf(ExecutorError);
  await expect(executor.submit(() => () => 1)).rejects.toThrow(/could not be cloned/);
  await expect(executor.submit({ filename: TASK, name: "nothing" })).rejects.toThrow(/exports no function nothing/);
  await executor.shutdown();
  await expect(executor.submit(() => 1)).rejects.toThrow(ExecutorError);
});

test("a worker that dies rejects its task and is replaced", async () => {
  await expect(executor.submit(() => process.exit(3))).rejects.toThrow(new ExecutorError("worker thread exited with code 3"));
  await expect(executor.submit(() => 7)).resolves.toBe(7);
});

describe("runOnExecutor (RunOnExecutorTest)", () => {
  test("no calling, no args, a named executor, and await", async () => {
    class NoCalling {
      executor = new ThreadPoolExecutor({ maxWorkers: 1 });
      @runOnExecutor
      async f() {
        return 42;
      }
    }
    class NoArgs {
      executor = new ThreadPoolExecutor({ maxWorkers: 1 });
      @runOnExecutor()
      async f(x: number) {
        return x * 2;
      }
    }
    class Named {
      pool = new ThreadPoolExecutor({ maxWorkers: 1 });
      @runOnExecutor({ executor: "pool" })
      async f() {
        return require("node:worker_threads").isMainThread as boolean;
      }
    }
    const [noCalling, noArgs, named] = [new NoCalling(), new NoArgs(), new Named()];
    try {
      await expect(noCalling.f()).resolves.toBe(42);
      await expect(noArgs.f(21)).resolves.toBe(42);
      await expect(named.f()).resolves.toBe(false);
    } finally {
      await Promise.all([noCalling.executor.shutdown(), noArgs.executor.shutdown(), named.pool.shutdown()]);
    }
  });
});

describe("IOLoop.runInExecutor", () => {
  test("on the default executor, and on one set with setDefaultExecutor", async () => {
    const loop = new IOLoop({ makeCurrent: false });
    try {
      await expect(loop.runInExecutor(null, (n: number) => n + 1, 41)).resolves.toBe(42);
      loop.setDefaultExecutor(executor);
      await expect(loop.runInExecutor(null, () => require("node:worker_threads").isMainThread as boolean)).resolves.toBe(false);
      await expect(loop.runInExecutor(executor, { filename: TASK, name: "add" }, 1, 2)).resolves.toBe(3);
    } finally {
      loop.close();
    }
  });
});
