// Ported from tornado/test/gen_test.py: WithTimeoutTest and the multi / multi_future cases
// (coroutine-runner cases do not apply: async functions are native here).
import { IOLoop, TimeoutError, multi, moment, sleep, withTimeout } from "@tornado/ioloop";
import { captureLogs, outcome } from "../loop-helpers";

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());
afterAll(() => IOLoop.current().close());

function delay<T>(seconds: number, value: T): Promise<T> {
  return sleep(seconds).then(() => value);
}

async function fail(message: string): Promise<never> {
  await moment();
  throw new RangeError(message);
}

describe("sleep and moment", () => {
  test("sleep resolves after the delay; a later callLater runs after it", async () => {
    const order: string[] = [];
    const slept = sleep(0.005).then(() => order.push("sleep"));
    IOLoop.current().callLater(0.03, () => order.push("later"));
    await slept;
    await sleep(0.04);
    expect(order).toEqual(["sleep", "later"]);
  });

  test("sleep validates its argument", () => {
    expect(() => sleep(NaN)).toThrow(new RangeError("seconds must be a finite number of seconds, got NaN"));
    expect(() => sleep("1" as unknown as number)).toThrow(TypeError);
  });

  test("moment yields to callbacks already scheduled", async () => {
    const order: string[] = [];
    IOLoop.current().addCallback(() => order.push("callback"));
    await moment();
    order.push("after moment");
    expect(order).toEqual(["callback", "after moment"]);
  });

  test("multi of moments (multi_moment)", async () => {
    await expect(multi([moment(), moment()])).resolves.toEqual([undefined, undefined]);
  });
});

describe("withTimeout", () => {
  test("a promise that never settles times out", async () => {
    const result = await outcome(withTimeout(0.01, new Promise(() => {})));
    expect(result.error).toBeInstanceOf(TimeoutError);
    expect((result.error as TimeoutError).code).toBe("TORNADO_ERR_TIMEOUT");
    expect((result.error as Error).message).toBe("Timeout");
  });

  test("completes before the timeout", async () => {
    await expect(withTimeout(3600, delay(0.005, "asdf"))).resolves.toBe("asdf");
  });

  test("fails before the timeout with the promise's own error", async () => {
    await expect(withTimeout(3600, fail("zero"))).rejects.toThrow(new RangeError("zero"));
  });

  test("already resolved, and plain values", async () => {
    await expect(withTimeout(3600, Promise.resolve("asdf"))).resolves.toBe("asdf");
    await expect(withTimeout(3600, "plain")).resolves.toBe("plain");
  });

  test("an absolute { deadline } in loop time", async () => {
    const loop = IOLoop.current();
    const result = await outcome(withTimeout({ deadline: loop.time() }, delay(0.05, 1)));
    expect(result.error).toBeInstanceOf(TimeoutError);
    await expect(withTimeout({ deadline: loop.time() + 3600 }, delay(0.001, 2))).resolves.toBe(2);
  });

  test("does not cancel the wrapped work; a late error is logged unless quiet", async () => {
    let finished = false;
    const work = sleep(0.02).then(() => {
      finished = true;
      throw new RangeError("late");
    });
    const result = await outcome(withTimeout(0.001, work));
    expect(result.error).toBeInstanceOf(TimeoutError);
    await outcome(work);
    await moment();
    expect(finished).toBe(true);
    expect(logs.messages()).toEqual(["Exception in Future after timeout"]);

    const quiet = sleep(0.01).then(() => {
      throw new RangeError("quiet");
    });
    await outcome(withTimeout(0.001, quiet, { quietExceptions: [RangeError] }));
    await outcome(quiet);
    await moment();
    expect(logs.messages()).toHaveLength(1);
  });

  test("bad timeouts are rejected with a clear error", () => {
    expect(() => withTimeout(-1, Promise.resolve())).toThrow(
      new RangeError("timeout must be a finite, non-negative number of seconds, got -1"),
    );
    expect(() => withTimeout("1" as unknown as number, Promise.resolve())).toThrow(TypeError);
    expect(() => withTimeout({ deadline: NaN }, Promise.resolve())).toThrow(RangeError);
  });
});

describe("multi", () => {
  test("an array of promises resolves to their values in order (multi, multi_delayed)", async () => {
    await expect(multi([delay(0.003, "v1"), delay(0.001, "v2")])).resolves.toEqual(["v1", "v2"]);
  });

  test("an object of promises resolves to an object (multi_dict, multi_dict_delayed)", async () => {
    const result = await multi({ foo: delay(0.003, "v1"), bar: delay(0.001, 2) });
    expect(result).toEqual({ foo: "v1", bar: 2 });
    const typed: { foo: string; bar: number } = result;
    expect(typed.foo).toBe("v1");
  });

  test("the same promise twice, and plain values (multi_future_duplicate)", async () => {
    const shared = delay(0.001, 2);
    await expect(multi([Promise.resolve(1), shared, 3, shared])).resolves.toEqual([1, 2, 3, 2]);
  });

  test("empty array and empty object keep their type (multi_empty)", async () => {
    await expect(multi([])).resolves.toEqual([]);
    await expect(multi({})).resolves.toEqual({});
  });

  test("many children stay fast (multi_performance)", async () => {
    const results = await multi(Array.from({ length: 2000 }, () => moment()));
    expect(results).toHaveLength(2000);
  });

  test("first error in order wins and later ones are logged (multi_exceptions)", async () => {
    const both = await outcome(multi([fail("error 1"), fail("error 2")]));
    expect((both.error as Error).message).toBe("error 1");
    expect(logs.messages()).toEqual(["Multiple exceptions in yield list"]);
    expect((logs.records[0]!.error as Error).message).toBe("error 2");

    // With only one exception, nothing is logged.
    const one = await outcome(multi([fail("error 1"), delay(0.001, 2)]));
    expect((one.error as Error).message).toBe("error 1");
    expect(logs.records).toHaveLength(1);

    // Logging can be quieted, with one class or a list of them.
    await outcome(multi([fail("error 1"), fail("error 2")], { quietExceptions: RangeError }));
    await outcome(multi({ a: fail("error 1"), b: fail("error 2") }, { quietExceptions: [TypeError, RangeError] }));
    expect(logs.records).toHaveLength(1);
  });

  test("waits for every child before rejecting, as Tornado's multi_future", async () => {
    const order: string[] = [];
    const slow = delay(0.02, "slow").then((value) => {
      order.push("slow settled");
      return value;
    });
    const result = await outcome(multi([fail("fast"), slow]));
    order.push("multi rejected");
    expect((result.error as Error).message).toBe("fast");
    expect(order).toEqual(["slow settled", "multi rejected"]);
  });

  test("anything but an array or an object is a TypeError", () => {
    expect(() => multi(Promise.resolve(1) as unknown as unknown[])).toThrow(TypeError);
    expect(() => multi(null as unknown as unknown[])).toThrow(TypeError);
  });
});
