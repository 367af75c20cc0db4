// Ported from tornado/test/ioloop_test.py: TestPeriodicCallbackMath and TestPeriodicCallbackAsync.
import { IOLoop, PeriodicCallback, sleep } from "@tornado/ioloop";
import { nextPeriodicTimeout } from "../../src/loop/periodic-callback";
import { captureLogs } from "../loop-helpers";

describe("PeriodicCallback schedule math", () => {
  /** Tornado's simulate_calls: the times of successive calls for the given call durations. */
  function simulateCalls(periodMs: number, durations: number[], jitter = 0, random?: () => number): number[] {
    const calls: number[] = [];
    let now = 1000;
    let next = now;
    for (const duration of durations) {
      next = nextPeriodicTimeout(next, now, periodMs / 1000, jitter, random);
      calls.push(next);
      now = next + duration;
    }
    return calls;
  }

  test("basic", () => {
    expect(simulateCalls(10000, [0, 0, 0, 0, 0])).toEqual([1010, 1020, 1030, 1040, 1050]);
  });

  test("overrun skips whole cycles to get back on schedule", () => {
    const durations = [9, 9, 10, 11, 20, 20, 35, 35, 0, 0, 0];
    const expected = [1010, 1020, 1030, 1050, 1070, 1100, 1130, 1170, 1210, 1220, 1230];
    expect(simulateCalls(10000, durations)).toEqual(expected);
  });

  test("clock going backwards is ignored", () => {
    expect(simulateCalls(10000, [-2, -1, -3, -2, 0])).toEqual([1010, 1020, 1030, 1040, 1050]);
    expect(simulateCalls(10000, [-100, 0, 0])).toEqual([1010, 1020, 1030]);
  });

  test("jitter scales each period around callbackTime", () => {
    const randoms = [0.5, 1, 0, 0.75];
    const calls = simulateCalls(10000, [0, 0, 0, 0], 0.5, () => randoms.shift()!);
    expect(calls).toEqual([1010, 1022.5, 1030, 1041.25]);
  });
});

describe("PeriodicCallback", () => {
  let loop: IOLoop;
  beforeEach(() => {
    IOLoop.clearCurrent();
    loop = IOLoop.current();
  });
  afterEach(() => loop.close());

  test("argument checks", () => {
    expect(() => new PeriodicCallback(() => {}, 0)).toThrow(
      new RangeError("callbackTime must be a positive number of milliseconds, got 0"),
    );
    expect(() => new PeriodicCallback(() => {}, -5)).toThrow(RangeError);
    expect(() => new PeriodicCallback(() => {}, NaN)).toThrow(RangeError);
    expect(() => new PeriodicCallback(() => {}, "10" as unknown as number)).toThrow(TypeError);
    expect(() => new PeriodicCallback(null as unknown as () => void, 10)).toThrow(TypeError);
    expect(() => new PeriodicCallback(() => {}, 10, -0.1)).toThrow(RangeError);
    const callback = new PeriodicCallback(() => {}, 250, 0.1);
    expect([callback.callbackTime, callback.jitter]).toEqual([250, 0.1]);
  });

  test("a plain callback runs repeatedly until stopped (periodic_plain)", async () => {
    let count = 0;
    let periodic: PeriodicCallback;
    await new Promise<void>((resolve) => {
      periodic = new PeriodicCallback(() => {
        count += 1;
        if (count === 3) resolve();
      }, 10);
      expect(periodic.isRunning()).toBe(false);
      periodic.start();
      expect(periodic.isRunning()).toBe(true);
    });
    periodic!.stop();
    expect(periodic!.isRunning()).toBe(false);
    await sleep(0.03);
    expect(count).toBe(3);
  });

  test("an async callback longer than the period never overlaps itself (periodic_async)", async () => {
    const counts = [0, 0];
    let active = 0;
    let maxActive = 0;
    let periodic: PeriodicCallback;
    await new Promise<void>((resolve) => {
      periodic = new PeriodicCallback(async () => {
        counts[0] += 1;
        active += 1;
        maxActive = Math.max(maxActive, active);
        await sleep(0.025);
        active -= 1;
        counts[1] += 1;
        if (counts[1] === 3) {
          periodic.stop();
          loop.addCallback(resolve);
        }
      }, 10);
      periodic.start();
    });
    await sleep(0.03);
    expect(counts).toEqual([3, 3]);
    expect(maxActive).toBe(1);
  });

  test("stop() and start() while an async run is in flight do not start a second run", async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const periodic = new PeriodicCallback(async () => {
      runs += 1;
      active += 1;
      maxActive = Math.max(maxActive, active);
      await sleep(0.02);
      active -= 1;
    }, 5);
    periodic.start();
    while (runs === 0) await sleep(0.002);
    periodic.stop();
    periodic.start();
    while (runs < 3) await sleep(0.002);
    periodic.stop();
    expect(maxActive).toBe(1);
  });

  test("errors are logged and the schedule continues", async () => {
    const logs = captureLogs();
    try {
      let count = 0;
      await new Promise<void>((resolve) => {
        const periodic = new PeriodicCallback(function tick() {
          count += 1;
          if (count === 3) {
            periodic.stop();
            resolve();
          }
          throw new Error(`failure ${count}`);
        }, 5);
        periodic.start();
      });
      expect(logs.messages()).toEqual(Array(3).fill("Exception in callback tick()"));
    } finally {
      logs.restore();
    }
  });

  test("start() while running is a no-op; closing the loop ends the schedule", async () => {
    let count = 0;
    const periodic = new PeriodicCallback(() => {
      count += 1;
    }, 5);
    periodic.start();
    periodic.start();
    await sleep(0.02);
    loop.close();
    const seen = count;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(count).toBe(seen);
    expect(seen).toBeGreaterThan(0);
  });
});
