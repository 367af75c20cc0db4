// Ported from tornado/test/ioloop_test.py (TestIOLoop, TestIOLoopCurrent, TestIOLoopFutures,
// TestIOLoopRunSync) where the cases apply to a loop on top of Node's; fd handlers and
// executors have no counterpart.
import { IOLoop, IOLoopStateError, TimeoutError, TimeoutHandle, appLog } from "@tornado/ioloop";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { blockFor, captureLogs, outcome } from "../loop-helpers";

const run = promisify(execFile);

describe("IOLoop", () => {
  let loop: IOLoop;
  let logs: ReturnType<typeof captureLogs>;

  beforeEach(() => {
    IOLoop.clearCurrent();
    loop = IOLoop.current();
    logs = captureLogs();
  });

  afterEach(() => {
    logs.restore();
    loop.close();
  });

  function nextCallback(): Promise<void> {
    return new Promise<void>((resolve) => loop.addCallback(resolve));
  }

  test("addCallback runs later, in order, with its arguments", async () => {
    const calls: unknown[] = [];
    loop.addCallback((a: number, b: string) => calls.push([a, b]), 1, "x");
    loop.addCallback(() => calls.push("second"));
    expect(calls).toEqual([]);
    await nextCallback();
    expect(calls).toEqual([[1, "x"], "second"]);
  });

  test("a callLater(0.01) runs after an addCallback added after it", async () => {
    const calls: string[] = [];
    const done = new Promise<void>((resolve) => {
      loop.callLater(0.01, () => {
        calls.push("later");
        resolve();
      });
    });
    loop.addCallback(() => calls.push("callback"));
    await done;
    expect(calls).toEqual(["callback", "later"]);
  });

  test("callbacks returning {} or [] are fine (add_callback_return_sequence)", async () => {
    loop.addCallback(() => ({}));
    loop.addCallback(() => []);
    await nextCallback();
    expect(logs.records).toEqual([]);
  });

  test("addTimeout with a relative deadline (timedelta)", async () => {
    await new Promise<void>((resolve) => loop.addTimeout({ seconds: 0.000001 }, resolve));
  });

  test("addCallbackFromSignal and spawnCallback run the callback", async () => {
    await new Promise<void>((resolve) => loop.addCallbackFromSignal(resolve));
    await new Promise<void>((resolve) => loop.spawnCallback(resolve));
  });

  test("removeTimeout after the timeout ran, and of null, is a no-op", async () => {
    let handle: TimeoutHandle | null = null;
    await new Promise<void>((resolve) => {
      handle = loop.addTimeout(loop.time(), resolve);
    });
    loop.removeTimeout(handle);
    loop.removeTimeout(null);
    loop.removeTimeout(undefined);
  });

  test("many timeouts added and removed leave nothing behind (remove_timeout_cleanup)", async () => {
    for (let i = 0; i < 2000; i++) {
      const handle = loop.addTimeout(loop.time() + 3600, () => {});
      loop.removeTimeout(handle);
    }
    expect(String(loop)).toContain("timeouts=0");
    await nextCallback();
  });

  test("a timeout removed by another timeout due at the same time does not run", async () => {
    const calls = [false, false];
    const now = loop.time();
    let t2: TimeoutHandle | null = null;
    loop.addTimeout(now + 0.01, () => {
      calls[0] = true;
      loop.removeTimeout(t2);
    });
    t2 = loop.addTimeout(now + 0.02, () => {
      calls[1] = true;
    });
    const done = new Promise<void>((resolve) => loop.addTimeout(now + 0.03, resolve));
    blockFor(30); // all three are due when the loop next looks
    await done;
    expect(calls).toEqual([true, false]);
  });

  test("every timeout method passes its arguments (timeout_with_arguments)", async () => {
    const results: number[] = [];
    const push = (value: number) => results.push(value);
    loop.addTimeout(loop.time(), push, 1);
    loop.addTimeout({ seconds: 0 }, push, 2);
    loop.callAt(loop.time(), push, 3);
    loop.callLater(0, push, 4);
    await new Promise<void>((resolve) => loop.callLater(0.005, resolve));
    expect(results.sort()).toEqual([1, 2, 3, 4]);
  });

  test("addTimeout, callAt and callLater return handles for removeTimeout", async () => {
    let ran = false;
    const handles = [
      loop.addTimeout(loop.time(), () => (ran = true)),
      loop.callAt(loop.time(), () => (ran = true)),
      loop.callLater(0, () => (ran = true)),
    ];
    for (const handle of handles) {
      expect(handle).toBeInstanceOf(TimeoutHandle);
      expect(handle.active).toBe(true);
      loop.removeTimeout(handle);
      expect(handle.active).toBe(false);
    }
    await new Promise<void>((resolve) => loop.callLater(0.005, resolve));
    expect(ran).toBe(false);
  });

  test("a timeout runs no earlier than its deadline on time()", async () => {
    const deadline = loop.time() + 0.015;
    const firedAt = await new Promise<number>((resolve) => loop.callAt(deadline, () => resolve(loop.time())));
    expect(firedAt).toBeGreaterThanOrEqual(deadline);
  });

  test("a delay longer than Node's timer limit does not fire early", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    let ran = false;
    const handle = loop.callLater(30 * 24 * 3600, () => (ran = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    loop.removeTimeout(handle);
    process.off("warning", onWarning);
    expect(ran).toBe(false);
    expect(warnings.filter((w) => w.name === "TimeoutOverflowWarning")).toEqual([]);
  });

  test("time() is monotonic seconds", async () => {
    const first = loop.time();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(loop.time()).toBeGreaterThan(first);
    expect(loop.time() - first).toBeLessThan(60);
  });

  test("start() twice throws rather than deadlocking (reentrant)", async () => {
    const started = loop.start();
    expect(() => loop.start()).toThrow(IOLoopStateError);
    expect(() => loop.start()).toThrow("IOLoop is already running");
    expect(loop.running).toBe(true);
    loop.callLater(0.001, () => loop.stop());
    await started;
    expect(loop.running).toBe(false);
  });

  test("stop() before start() makes the next start() return at once", async () => {
    loop.stop();
    await loop.start();
    expect(loop.running).toBe(false);
  });

  test("an exception in a callback is logged with its stack and the loop goes on", async () => {
    loop.addCallback(function failing() {
      throw new Error("boom");
    });
    loop.spawnCallback(() => {
      throw new RangeError("spawned");
    });
    await nextCallback();
    expect(logs.messages()).toEqual(["Exception in callback failing()", "Exception in callback <anonymous function>"]);
    expect(logs.records[0]!.name).toBe(appLog.name);
    expect((logs.records[0]!.error as Error).stack).toContain("boom");
  });

  test("a rejected promise returned by a callback is logged (native coroutine)", async () => {
    loop.addCallback(async () => {
      throw new Error("async boom");
    });
    await nextCallback();
    await nextCallback();
    expect(logs.messages()).toEqual(["Exception in callback <anonymous function>"]);
    expect((logs.records[0]!.error as Error).message).toBe("async boom");
  });

  test("an exception in a timeout callback is logged too", async () => {
    loop.callLater(0, () => {
      throw new Error("late boom");
    });
    await new Promise<void>((resolve) => loop.callLater(0.005, resolve));
    expect(logs.messages()).toEqual(["Exception in callback <anonymous function>"]);
  });

  test("addFuture calls back with the settled promise, fulfilled or rejected", async () => {
    // Wrapped in an object: resolving with a promise would adopt its state.
    const fulfilled = await new Promise<{ future: Promise<number> }>((resolve) =>
      loop.addFuture(Promise.resolve(7), (future) => resolve({ future })),
    );
    await expect(fulfilled.future).resolves.toBe(7);
    const failure = new Error("nope");
    const rejected = await new Promise<{ future: Promise<never> }>((resolve) =>
      loop.addFuture(Promise.reject(failure), (future) => resolve({ future })),
    );
    await expect(rejected.future).rejects.toBe(failure);
  });

  test("arguments are validated with messages naming the bad value", () => {
    expect(() => loop.callLater(NaN, () => {})).toThrow(new RangeError("delay must be a finite number of seconds, got NaN"));
    expect(() => loop.callLater("1" as unknown as number, () => {})).toThrow(TypeError);
    expect(() => loop.callAt(Infinity, () => {})).toThrow("when must be a finite number of seconds, got Infinity");
    expect(() => loop.addCallback(42 as unknown as () => void)).toThrow(new TypeError("callback must be a function, got 42"));
    expect(() => loop.addTimeout("soon" as unknown as number, () => {})).toThrow(TypeError);
    expect(() => loop.addTimeout({ seconds: NaN }, () => {})).toThrow(RangeError);
    expect(() => loop.removeTimeout({} as TimeoutHandle)).toThrow(TypeError);
    expect(() => loop.addFuture(5 as unknown as Promise<number>, () => {})).toThrow(TypeError);
    expect(() => loop.runSync(() => 1, { timeout: -1 })).toThrow(RangeError);
  });

  test("close() cancels pending timeouts, drops callbacks, and refuses new timeouts", async () => {
    let ran = false;
    loop.callLater(0.001, () => (ran = true));
    loop.addCallback(() => (ran = true));
    loop.close();
    loop.addCallback(() => (ran = true)); // dropped silently (add_callback_while_closing)
    expect(() => loop.callLater(0, () => {})).toThrow(IOLoopStateError);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ran).toBe(false);
    expect(loop.closed).toBe(true);
    expect(IOLoop.current()).not.toBe(loop);
    IOLoop.current().close();
  });
});

describe("IOLoop.current", () => {
  afterEach(() => {
    IOLoop.current(false)?.close();
    IOLoop.clearCurrent();
  });

  test("the first loop is made current; a second one is not (default_current)", () => {
    IOLoop.clearCurrent();
    const first = new IOLoop();
    expect(IOLoop.current()).toBe(first);
    const second = new IOLoop();
    expect(IOLoop.current()).toBe(first);
    second.close();
    first.close();
  });

  test("makeCurrent: true fails when a loop is current (force_current)", () => {
    IOLoop.clearCurrent();
    const first = new IOLoop({ makeCurrent: true });
    expect(IOLoop.current()).toBe(first);
    expect(() => new IOLoop({ makeCurrent: true })).toThrow(IOLoopStateError);
    expect(IOLoop.current()).toBe(first);
  });

  test("start() makes a loop current and stop() undoes it, repeatably (non_current)", async () => {
    IOLoop.clearCurrent();
    const loop = new IOLoop({ makeCurrent: false });
    expect(IOLoop.current(false)).toBeNull();
    for (let i = 0; i < 3; i++) {
      let seen: IOLoop | null = null;
      loop.addCallback(() => {
        seen = IOLoop.current();
        loop.stop();
      });
      await loop.start();
      expect(seen).toBe(loop);
      expect(IOLoop.current(false)).toBeNull();
    }
    loop.close();
  });

  test("current() creates a loop on first use and keeps returning it", () => {
    IOLoop.clearCurrent();
    const loop = IOLoop.current();
    expect(IOLoop.current()).toBe(loop);
  });
});

describe("IOLoop.runSync", () => {
  let loop: IOLoop;
  beforeEach(() => {
    loop = new IOLoop({ makeCurrent: false });
  });
  afterEach(() => loop.close());

  test("a plain return value resolves (Tornado raises BadYieldError)", async () => {
    await expect(loop.runSync(() => 42)).resolves.toBe(42);
  });

  test("a synchronous exception rejects", async () => {
    await expect(
      loop.runSync(() => {
        throw new RangeError("sync");
      }),
    ).rejects.toThrow("sync");
  });

  test("an async result and an async exception", async () => {
    await expect(loop.runSync(async () => 42)).resolves.toBe(42);
    await expect(
      loop.runSync(async () => {
        await new Promise((resolve) => setImmediate(resolve));
        throw new Error("async");
      }),
    ).rejects.toThrow("async");
  });

  test("the loop is current while fn runs", async () => {
    let seen: IOLoop | null = null;
    await loop.runSync(() => {
      seen = IOLoop.current();
    });
    expect(seen).toBe(loop);
  });

  test("timeout rejects with TimeoutError", async () => {
    const result = await outcome(loop.runSync(() => new Promise((resolve) => setTimeout(resolve, 1000).unref()), { timeout: 0.01 }));
    expect(result.error).toBeInstanceOf(TimeoutError);
    expect((result.error as Error).message).toBe("Operation timed out after 0.01 seconds");
  });

  test("on a closed loop it rejects", async () => {
    loop.close();
    await expect(loop.runSync(() => 1)).rejects.toBeInstanceOf(IOLoopStateError);
  });
});

describe("IOLoop keeps the process alive (real node processes)", () => {
  const script = join(__dirname, "..", "fixtures", "keep-alive.js");

  test("start() holds the process until stop(); runSync() until fn settles", async () => {
    const [started, synced, control] = await Promise.all([
      run(process.execPath, [script, "start"]),
      run(process.execPath, [script, "runSync"]),
      run(process.execPath, [script, "control"]),
    ]);
    expect(started.stdout).toBe("stopped\nexit\n");
    expect(synced.stdout).toBe("runSync value\nexit\n");
    // Without either, node exits before the unref'd timer fires.
    expect(control.stdout).toBe("exit\n");
  });
});
