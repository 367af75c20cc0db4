// Ported from tornado/test/locks_test.py. Tornado checks `future.done()` synchronously; here
// `settled()` flushes microtasks first. Python's `with (yield sem.acquire())` maps to `using`,
// `async with` to withAcquire().
import {
  BoundedSemaphore,
  Condition,
  Event,
  IOLoop,
  Lock,
  LockNotHeldError,
  Semaphore,
  SemaphoreOverReleaseError,
  TimeoutError,
  multi,
  sleep,
} from "@tornado/ioloop";
import { flushMicrotasks, outcome, settled } from "../loop-helpers";

// Jest's vm context on Node 20 lacks Symbol.dispose (see src/semaphore.ts); `using` needs it.
const symbols = Symbol as unknown as { dispose?: symbol; asyncDispose?: symbol };
symbols.dispose ??= Symbol.for("Symbol.dispose");
symbols.asyncDispose ??= Symbol.for("Symbol.asyncDispose");

afterAll(() => IOLoop.current().close());

describe("Condition", () => {
  let history: (number | string)[];
  beforeEach(() => {
    history = [];
  });

  /** Records the resolution of a Promise returned by Condition.wait. */
  function recordDone(wait: Promise<boolean>, key: number | string): void {
    void wait.then((notified) => history.push(notified ? key : "timeout"));
  }

  test("toString shows waiters (repr)", () => {
    const condition = new Condition();
    expect(String(condition)).toContain("Condition");
    expect(String(condition)).not.toContain("waiters");
    void condition.wait();
    expect(String(condition)).toContain("waiters");
  });

  test("notify wakes a waiter", async () => {
    const condition = new Condition();
    IOLoop.current().callLater(0.01, () => condition.notify());
    await expect(condition.wait()).resolves.toBe(true);
  });

  test("notify(1) wakes one waiter at a time", async () => {
    const condition = new Condition();
    recordDone(condition.wait(), "wait1");
    recordDone(condition.wait(), "wait2");
    condition.notify(1);
    await flushMicrotasks();
    history.push("notify1");
    condition.notify(1);
    await flushMicrotasks();
    history.push("notify2");
    expect(history).toEqual(["wait1", "notify1", "wait2", "notify2"]);
  });

  test("notify(n) wakes n waiters in the order they waited", async () => {
    const condition = new Condition();
    for (let i = 0; i < 6; i++) recordDone(condition.wait(), i);
    condition.notify(3);
    await flushMicrotasks();
    expect(history).toEqual([0, 1, 2]);
    condition.notify(1);
    await flushMicrotasks();
    expect(history).toEqual([0, 1, 2, 3]);
    condition.notify(2);
    await flushMicrotasks();
    expect(history).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test("notifyAll wakes everyone", async () => {
    const condition = new Condition();
    for (let i = 0; i < 4; i++) recordDone(condition.wait(), i);
    condition.notifyAll();
    await flushMicrotasks();
    history.push("notify_all");
    expect(history).toEqual([0, 1, 2, 3, "notify_all"]);
  });

  test("wait times out with false", async () => {
    const condition = new Condition();
    const wait = condition.wait(0.01);
    IOLoop.current().callLater(0.02, () => condition.notify()); // too late
    await sleep(0.03);
    await expect(wait).resolves.toBe(false);
  });

  test("a notify before the timeout wins (wait_timeout_preempted)", async () => {
    const condition = new Condition();
    IOLoop.current().callLater(0.01, () => condition.notify());
    const wait = condition.wait(0.02);
    await sleep(0.03);
    await expect(wait).resolves.toBe(true);
  });

  test("a timed-out waiter does not count against notify's n", async () => {
    const condition = new Condition();
    recordDone(condition.wait(), 0);
    recordDone(condition.wait(0.01), 1);
    recordDone(condition.wait(), 2);
    recordDone(condition.wait(), 3);
    await sleep(0.02);
    expect(history).toEqual(["timeout"]);
    condition.notify(2);
    await sleep(0.01);
    expect(history).toEqual(["timeout", 0, 2]);
    condition.notify();
    await flushMicrotasks();
    expect(history).toEqual(["timeout", 0, 2, 3]);
  });

  test("notifyAll skips timed-out waiters", async () => {
    const condition = new Condition();
    recordDone(condition.wait(), 0);
    recordDone(condition.wait(0.01), 1);
    recordDone(condition.wait(), 2);
    await sleep(0.02);
    expect(history).toEqual(["timeout"]);
    condition.notifyAll();
    await flushMicrotasks();
    expect(history).toEqual(["timeout", 0, 2]);
  });

  test("a waiter that notifies again on wake loses no notification (nested_notify)", async () => {
    const condition = new Condition();
    const waits = [condition.wait(), condition.wait(), condition.wait()];
    void waits[1]!.then(() => condition.notify());
    condition.notify(2);
    await flushMicrotasks();
    expect(await Promise.all(waits.map(settled))).toEqual([true, true, true]);
  });

  test("timed-out waiters are swept from the list (garbage_collection)", async () => {
    const condition = new Condition();
    for (let i = 0; i < 101; i++) void condition.wait(0.01);
    const last = condition.wait();
    expect(String(condition)).toBe("<Condition waiters[102]>");
    await sleep(0.02);
    expect(String(condition)).toBe("<Condition waiters[1]>");
    expect(await settled(last)).toBe(false);
    condition.notify();
    expect(await settled(last)).toBe(true);
  });

  test("notify validates n", () => {
    expect(() => new Condition().notify(-1)).toThrow(RangeError);
    expect(() => new Condition().notify(1.5)).toThrow("n must be a non-negative integer, got 1.5");
  });
});

describe("Event", () => {
  test("toString says set or clear (repr)", () => {
    const event = new Event();
    expect(String(event)).toContain("clear");
    expect(String(event)).not.toContain("set");
    event.set();
    expect(String(event)).not.toContain("clear");
    expect(String(event)).toContain("set");
  });

  test("wait resolves once set; clear makes later waits block", async () => {
    const event = new Event();
    const wait0 = event.wait();
    event.set();
    const wait1 = event.wait();
    event.clear();
    const wait2 = event.wait();
    expect(await settled(wait0)).toBe(true);
    expect(await settled(wait1)).toBe(true);
    expect(await settled(wait2)).toBe(false);
  });

  test("wait times out with TimeoutError, and later waits still work", async () => {
    const event = new Event();
    await expect(event.wait(0.01)).rejects.toBeInstanceOf(TimeoutError);
    IOLoop.current().addTimeout({ seconds: 0.01 }, () => event.set());
    await event.wait(1);
    expect(event.isSet()).toBe(true);
  });

  test("set twice is harmless", () => {
    const event = new Event();
    event.set();
    event.set();
    expect(event.isSet()).toBe(true);
  });

  test("clear between waits: set still wakes both (event_wait_clear)", async () => {
    const event = new Event();
    const first = event.wait();
    event.clear();
    const second = event.wait();
    event.set();
    expect(await settled(first)).toBe(true);
    expect(await settled(second)).toBe(true);
  });
});

describe("Semaphore", () => {
  test("a negative or fractional initial value throws", () => {
    expect(() => new Semaphore(-1)).toThrow(RangeError);
    expect(() => new Semaphore(1.5)).toThrow("semaphore initial value must be an integer >= 0, got 1.5");
    expect(() => new Semaphore("1" as unknown as number)).toThrow(TypeError);
  });

  test("toString shows value and waiters (repr)", () => {
    const semaphore = new Semaphore();
    expect(String(semaphore)).toContain("Semaphore");
    expect(String(semaphore)).toContain("unlocked,value:1");
    void semaphore.acquire();
    expect(String(semaphore)).toContain("locked");
    expect(String(semaphore)).not.toContain("waiters");
    void semaphore.acquire();
    expect(String(semaphore)).toBe("<Semaphore [locked,waiters:1]>");
  });

  test("acquire waits for release, in order", async () => {
    const semaphore = new Semaphore();
    expect(await settled(semaphore.acquire())).toBe(true);
    const first = semaphore.acquire();
    expect(await settled(first)).toBe(false);
    const second = semaphore.acquire();
    semaphore.release();
    expect(await settled(first)).toBe(true);
    expect(await settled(second)).toBe(false);
    semaphore.release();
    expect(await settled(second)).toBe(true);
    semaphore.release();
    expect(await settled(semaphore.acquire())).toBe(true);
    expect(String(semaphore)).not.toContain("waiters");
  });

  test("acquire times out with TimeoutError, the counter unchanged", async () => {
    const semaphore = new Semaphore(2);
    await semaphore.acquire();
    await semaphore.acquire();
    const acquire = outcome(semaphore.acquire(0.01));
    IOLoop.current().callLater(0.02, () => semaphore.release()); // too late
    await sleep(0.03);
    expect((await acquire).error).toBeInstanceOf(TimeoutError);
    void semaphore.acquire();
    const next = semaphore.acquire();
    expect(await settled(next)).toBe(false);
    semaphore.release();
    expect(await settled(next)).toBe(true);
  });

  test("a release before the timeout wins (acquire_timeout_preempted)", async () => {
    const semaphore = new Semaphore(1);
    await semaphore.acquire();
    IOLoop.current().callLater(0.01, () => semaphore.release());
    const acquire = semaphore.acquire(0.02);
    await sleep(0.03);
    await acquire;
  });

  test("unbounded releases raise the counter (release_unacquired)", async () => {
    const semaphore = new Semaphore();
    semaphore.release();
    semaphore.release();
    expect(semaphore.value).toBe(3);
    for (let i = 0; i < 3; i++) expect(await settled(semaphore.acquire())).toBe(true);
    expect(await settled(semaphore.acquire())).toBe(false);
  });

  test("timed-out waiters are swept from the list (garbage_collection)", async () => {
    const semaphore = new Semaphore(0);
    const timedOut = Array.from({ length: 101 }, () => outcome(semaphore.acquire(0.01)));
    const last = semaphore.acquire();
    expect(String(semaphore)).toContain("waiters:102");
    await sleep(0.02);
    expect(String(semaphore)).toContain("waiters:1]");
    expect(await settled(last)).toBe(false);
    semaphore.release();
    expect(await settled(last)).toBe(true);
    for (const result of await Promise.all(timedOut)) expect(result.error).toBeInstanceOf(TimeoutError);
  });
});

describe("Semaphore as a context manager", () => {
  test("using releases at the end of the block", async () => {
    const semaphore = new Semaphore();
    {
      using releaser = await semaphore.acquire();
      expect(typeof releaser.release).toBe("function");
      expect(semaphore.value).toBe(0);
    }
    expect(semaphore.value).toBe(1);
    expect(await settled(semaphore.acquire())).toBe(true);
  });

  test("await using and withAcquire (async with)", async () => {
    const semaphore = new Semaphore();
    {
      await using _ = await semaphore.acquire();
      expect(semaphore.value).toBe(0);
    }
    expect(semaphore.value).toBe(1);
    await expect(semaphore.withAcquire(() => semaphore.value)).resolves.toBe(0);
    expect(semaphore.value).toBe(1);
  });

  test("an exception in the block still releases", async () => {
    const semaphore = new Semaphore();
    const block = async () => {
      using _ = await semaphore.acquire();
      throw new RangeError("zero division");
    };
    await expect(block()).rejects.toThrow("zero division");
    await expect(semaphore.withAcquire(() => Promise.reject(new RangeError("again")))).rejects.toThrow("again");
    expect(await settled(semaphore.acquire())).toBe(true);
  });

  test("a timeout on acquire: released after the block; on error the counter stays 0", async () => {
    const semaphore = new Semaphore();
    {
      using _ = await semaphore.acquire(0.01);
    }
    expect(await settled(semaphore.acquire())).toBe(true);

    const empty = new Semaphore(0);
    await expect(empty.withAcquire(() => "never", 0.01)).rejects.toBeInstanceOf(TimeoutError);
    expect(await settled(empty.acquire())).toBe(false);
  });

  test("contended: each holder runs to completion in turn", async () => {
    const semaphore = new Semaphore();
    const history: string[] = [];
    const task = (index: number) =>
      semaphore.withAcquire(async () => {
        history.push(`acquired ${index}`);
        await sleep(0.01);
        history.push(`release ${index}`);
      });
    await multi([task(0), task(1)]);
    expect(history).toEqual(["acquired 0", "release 0", "acquired 1", "release 1"]);
  });

  test("a releaser releases once, however often it is called", async () => {
    const semaphore = new Semaphore(1);
    const releaser = await semaphore.acquire();
    releaser.release();
    releaser.release();
    releaser[Symbol.dispose]();
    expect(semaphore.value).toBe(1);
  });
});

describe("BoundedSemaphore", () => {
  test("releasing past the initial value throws (release_unacquired)", async () => {
    const semaphore = new BoundedSemaphore();
    expect(() => semaphore.release()).toThrow(SemaphoreOverReleaseError);
    void semaphore.acquire(); // value is 0
    const waiting = semaphore.acquire();
    expect(await settled(waiting)).toBe(false);
    semaphore.release();
    expect(await settled(waiting)).toBe(true);
    semaphore.release(); // value is 1
    let caught: unknown;
    try {
      semaphore.release();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SemaphoreOverReleaseError);
    expect((caught as SemaphoreOverReleaseError).code).toBe("TORNADO_ERR_SEMAPHORE_OVER_RELEASE");
    expect((caught as Error).message).toBe("Semaphore released too many times");
  });
});

describe("Lock", () => {
  test("toString works locked and unlocked (repr)", async () => {
    const lock = new Lock();
    expect(String(lock)).toContain("unlocked");
    await lock.acquire();
    expect(String(lock)).toContain("locked");
    expect(lock.locked()).toBe(true);
  });

  test("acquire and release", async () => {
    const lock = new Lock();
    expect(await settled(lock.acquire())).toBe(true);
    const waiting = lock.acquire();
    expect(await settled(waiting)).toBe(false);
    lock.release();
    expect(await settled(waiting)).toBe(true);
  });

  test("waiters get the lock in FIFO order (acquire_fifo, acquire_fifo_async_with)", async () => {
    const lock = new Lock();
    expect(await settled(lock.acquire())).toBe(true);
    const history: number[] = [];
    const tasks = Array.from({ length: 5 }, (_, index) =>
      index % 2 === 0
        ? lock.withAcquire(() => {
            history.push(index);
          })
        : (async () => {
            using _ = await lock.acquire();
            history.push(index);
          })(),
    );
    expect(await settled(Promise.race(tasks))).toBe(false);
    lock.release();
    await multi(tasks);
    expect(history).toEqual([0, 1, 2, 3, 4]);
  });

  test("acquire times out with TimeoutError, and the lock stays held", async () => {
    const lock = new Lock();
    void lock.acquire();
    await expect(lock.acquire(0.01)).rejects.toBeInstanceOf(TimeoutError);
    expect(await settled(lock.acquire())).toBe(false);
  });

  test("release of an unlocked lock throws LockNotHeldError (multi_release)", async () => {
    const lock = new Lock();
    expect(() => lock.release()).toThrow(LockNotHeldError);
    await lock.acquire();
    lock.release();
    expect(() => lock.release()).toThrow("release unlocked lock");
  });

  test("an absolute { deadline } timeout", async () => {
    const lock = new Lock();
    await lock.acquire();
    await expect(lock.acquire({ deadline: IOLoop.current().time() + 0.005 })).rejects.toBeInstanceOf(TimeoutError);
  });
});
