// Ported from tornado/test/queues_test.py. `future.done()` checks use settled(), which
// flushes microtasks; the counts of waiting getters and putters are read from toString(),
// as Tornado's repr shows them.
import {
  IOLoop,
  LifoQueue,
  PriorityQueue,
  Queue,
  QueueEmpty,
  QueueFull,
  QueueTaskDoneError,
  TimeoutError,
  moment,
  sleep,
} from "@tornado/ioloop";
import { defaultCompare } from "../../src/queues/priority-queue";
import { outcome, settled } from "../loop-helpers";

afterAll(() => IOLoop.current().close());

function count<T>(queue: Queue<T>, what: "getters" | "putters"): number {
  const match = new RegExp(`${what}\\[(\\d+)\\]`).exec(String(queue));
  return match ? Number(match[1]) : 0;
}

describe("Queue basics", () => {
  test("toString (repr_and_str)", () => {
    const queue = new Queue<null>(1);
    void queue.get();
    const text = String(queue);
    expect(text.startsWith("<Queue")).toBe(true);
    expect(text).toContain("maxsize=1");
    expect(text).toContain("getters[1]");
    expect(text).not.toContain("putters");
    expect(text).not.toContain("tasks");

    void queue.put(null);
    void queue.put(null);
    void queue.put(null); // the queue is full: this putter waits
    const full = String(queue);
    expect(full).not.toContain("getters");
    expect(full).toContain("putters[1]");
    expect(full).toContain("tasks=2");
  });

  test("FIFO order", () => {
    const queue = new Queue<number>();
    for (const item of [1, 3, 2]) queue.putNowait(item);
    expect([queue.getNowait(), queue.getNowait(), queue.getNowait()]).toEqual([1, 3, 2]);
  });

  test("maxsize", async () => {
    expect(() => new Queue(null as unknown as number)).toThrow(TypeError);
    expect(() => new Queue(-1)).toThrow(new RangeError("maxsize must be a number >= 0, got -1"));
    expect(() => new Queue(NaN)).toThrow(RangeError);

    const queue = new Queue<number>(2);
    expect(queue.empty()).toBe(true);
    expect(queue.full()).toBe(false);
    expect(queue.maxsize).toBe(2);
    expect(await settled(queue.put(0))).toBe(true);
    expect(await settled(queue.put(1))).toBe(true);
    expect(queue.empty()).toBe(false);
    expect(queue.full()).toBe(true);
    const put2 = queue.put(2);
    expect(await settled(put2)).toBe(false);
    expect(await queue.get()).toBe(0); // make room
    expect(await settled(put2)).toBe(true);
    expect(queue.empty()).toBe(false);
    expect(queue.full()).toBe(true);
    expect(queue.qsize()).toBe(2);
  });
});

describe("Queue.get", () => {
  test("blocking get of an available item", async () => {
    const queue = new Queue<number>();
    queue.putNowait(0);
    expect(await queue.get()).toBe(0);
  });

  test("getNowait, and QueueEmpty when empty", () => {
    const queue = new Queue<number>();
    queue.putNowait(0);
    expect(queue.getNowait()).toBe(0);
    expect(() => queue.getNowait()).toThrow(QueueEmpty);
  });

  test("get with a putter waiting takes the putter's item in", async () => {
    const queue = new Queue<number>(1);
    queue.putNowait(0);
    const put = queue.put(1);
    expect(await queue.get()).toBe(0);
    await expect(put).resolves.toBeUndefined();
    expect(queue.getNowait()).toBe(1);
  });

  test("blocking get waits for later puts", async () => {
    const queue = new Queue<number>();
    void queue.put(0);
    IOLoop.current().callLater(0.01, () => queue.putNowait(1));
    IOLoop.current().callLater(0.02, () => queue.putNowait(2));
    expect(await queue.get(1)).toBe(0);
    expect(await queue.get(1)).toBe(1);
  });

  test("get times out with TimeoutError; a later getter still gets the item", async () => {
    const queue = new Queue<number>();
    const getTimeout = queue.get(0.01);
    const get = queue.get();
    await expect(getTimeout).rejects.toBeInstanceOf(TimeoutError);
    queue.putNowait(0);
    expect(await get).toBe(0);
  });

  test("a put before the timeout wins (get_timeout_preempted)", async () => {
    const queue = new Queue<number>();
    const get = queue.get(0.01);
    void queue.put(0);
    await sleep(0.02);
    expect(await get).toBe(0);
  });

  test("get clears timed-out putters", async () => {
    const queue = new Queue<number>(1);
    const putters = Array.from({ length: 10 }, (_, i) => outcome(queue.put(i, 0.01)));
    const put = queue.put(10);
    expect(count(queue, "putters")).toBe(10);
    await sleep(0.02);
    expect(count(queue, "putters")).toBe(10);
    expect(await settled(put)).toBe(false); // the last waiter is still active
    void queue.put(11);
    expect(await queue.get()).toBe(0); // get() clears the timed-out waiters
    expect(count(queue, "putters")).toBe(1);
    for (const result of (await Promise.all(putters)).slice(1)) expect(result.error).toBeInstanceOf(TimeoutError);
  });

  test("get clears timed-out getters", async () => {
    const queue = new Queue<number>();
    const getters = Array.from({ length: 10 }, () => outcome(queue.get(0.01)));
    const get = queue.get();
    expect(count(queue, "getters")).toBe(11);
    await sleep(0.02);
    expect(count(queue, "getters")).toBe(11);
    expect(await settled(get)).toBe(false);
    void queue.get(); // get() clears the timed-out waiters
    expect(count(queue, "getters")).toBe(2);
    for (const result of await Promise.all(getters)) expect(result.error).toBeInstanceOf(TimeoutError);
  });

  test("for await iterates items as they come (async_for)", async () => {
    const queue = new Queue<number>();
    for (let i = 0; i < 5; i++) void queue.put(i);
    const results: number[] = [];
    for await (const item of queue) {
      results.push(item);
      if (item === 4) break;
    }
    expect(results).toEqual([0, 1, 2, 3, 4]);
  });
});

describe("Queue.put", () => {
  test("blocking put into an unbounded queue", async () => {
    const queue = new Queue<number>();
    void queue.put(0);
    expect(queue.getNowait()).toBe(0);
  });

  test("putNowait on a full queue throws QueueFull", () => {
    const queue = new Queue<number>(1);
    void queue.put(0);
    let caught: unknown;
    try {
      queue.putNowait(1);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(QueueFull);
    expect((caught as QueueFull).code).toBe("TORNADO_ERR_QUEUE_FULL");
  });

  test("put hands items to waiting getters in order", async () => {
    const queue = new Queue<number>();
    const get0 = queue.get();
    const get1 = queue.get();
    await queue.put(0);
    expect(await get0).toBe(0);
    await queue.put(1);
    expect(await get1).toBe(1);
  });

  test("putNowait with getters waiting (nonblocking_put_with_getters)", async () => {
    const queue = new Queue<number>();
    const get0 = queue.get();
    const get1 = queue.get();
    queue.putNowait(0);
    await moment();
    expect(await get0).toBe(0);
    queue.putNowait(1);
    await moment();
    expect(await get1).toBe(1);
  });

  test("blocking puts wait for room", async () => {
    const queue = new Queue<number>(1);
    queue.putNowait(0);
    IOLoop.current().callLater(0.01, () => void queue.get());
    IOLoop.current().callLater(0.02, () => void queue.get());
    const puts = [queue.put(0), queue.put(1)];
    expect(await settled(Promise.race(puts))).toBe(false);
    await Promise.all(puts);
  });

  test("put times out with TimeoutError and its item is not added", async () => {
    const queue = new Queue<number>(1);
    queue.putNowait(0); // now full
    const putTimeout = queue.put(1, 0.01);
    const put = queue.put(2);
    await expect(putTimeout).rejects.toBeInstanceOf(TimeoutError);
    expect(queue.getNowait()).toBe(0);
    expect(await queue.get()).toBe(2); // 1 was never put
    await put;
  });

  test("a get before the timeout wins (put_timeout_preempted)", async () => {
    const queue = new Queue<number>(1);
    queue.putNowait(0);
    const put = queue.put(1, 0.01);
    void queue.get();
    await sleep(0.02);
    await put;
  });

  test("put clears timed-out putters", async () => {
    const queue = new Queue<number>(1);
    const putters = Array.from({ length: 10 }, (_, i) => outcome(queue.put(i, 0.01)));
    const put = queue.put(10);
    expect(count(queue, "putters")).toBe(10);
    await sleep(0.02);
    expect(count(queue, "putters")).toBe(10);
    expect(await settled(put)).toBe(false);
    void queue.put(11); // put() clears the timed-out waiters
    expect(count(queue, "putters")).toBe(2);
    for (const result of (await Promise.all(putters)).slice(1)) expect(result.error).toBeInstanceOf(TimeoutError);
  });

  test("put clears timed-out getters", async () => {
    const queue = new Queue<number>();
    const getters = Array.from({ length: 10 }, () => outcome(queue.get(0.01)));
    const get = queue.get();
    void queue.get();
    expect(count(queue, "getters")).toBe(12);
    await sleep(0.02);
    expect(count(queue, "getters")).toBe(12);
    expect(await settled(get)).toBe(false);
    void queue.put(0); // put() clears the timed-out waiters
    expect(count(queue, "getters")).toBe(1);
    expect(await get).toBe(0);
    for (const result of await Promise.all(getters)) expect(result.error).toBeInstanceOf(TimeoutError);
  });

  test("a fractional maxsize is enforced, rounded up (float_maxsize)", async () => {
    const queue = new Queue<number>(1.3);
    expect(queue.empty()).toBe(true);
    expect(queue.full()).toBe(false);
    queue.putNowait(0);
    queue.putNowait(1);
    expect(queue.empty()).toBe(false);
    expect(queue.full()).toBe(true);
    expect(() => queue.putNowait(2)).toThrow(QueueFull);
    expect(queue.getNowait()).toBe(0);
    expect(queue.empty()).toBe(false);
    expect(queue.full()).toBe(false);

    await queue.put(2);
    const put = queue.put(3);
    expect(await settled(put)).toBe(false);
    expect(await queue.get()).toBe(1);
    await put;
    expect(queue.full()).toBe(true);
  });
});

describe.each([
  ["Queue", <T>() => new Queue<T>()],
  ["PriorityQueue", <T>() => new PriorityQueue<T>()],
  ["LifoQueue", <T>() => new LifoQueue<T>()],
])("%s join and taskDone", (_name, make) => {
  test("taskDone more often than put throws QueueTaskDoneError", () => {
    const queue = make<number>();
    expect(() => queue.taskDone()).toThrow(QueueTaskDoneError);
    expect(() => queue.taskDone()).toThrow("taskDone() called too many times");
  });

  test("two workers share the work; join waits for every taskDone", async () => {
    const queue = make<number>();
    for (let i = 0; i < 100; i++) queue.putNowait(i);
    let accumulator = 0;
    const worker = async () => {
      for (;;) {
        const item = await queue.get();
        accumulator += item;
        queue.taskDone();
        await sleep(Math.random() * 0.001);
      }
    };
    void worker();
    void worker();
    await queue.join();
    expect(accumulator).toBe(4950);
  });

  test("taskDone, not get, unblocks join (task_done_delay)", async () => {
    const queue = make<number>();
    queue.putNowait(0);
    const join = queue.join();
    expect(await settled(join)).toBe(false);
    await queue.get();
    expect(await settled(join)).toBe(false);
    await moment();
    expect(await settled(join)).toBe(false);
    queue.taskDone();
    expect(await settled(join)).toBe(true);
  });

  test("join on an empty queue resolves at once", async () => {
    const queue = make<number>();
    await queue.join();
    await queue.join();
  });

  test("join times out with TimeoutError", async () => {
    const queue = make<number>();
    void queue.put(0);
    await expect(queue.join(0.01)).rejects.toBeInstanceOf(TimeoutError);
  });
});

describe("PriorityQueue", () => {
  test("lowest first, tuples compared as in Python (order)", async () => {
    const queue = new PriorityQueue<[number, string]>(2);
    queue.putNowait([1, "a"]);
    queue.putNowait([0, "b"]);
    expect(queue.full()).toBe(true);
    void queue.put([3, "c"]);
    void queue.put([2, "d"]);
    expect(queue.getNowait()).toEqual([0, "b"]);
    expect(await queue.get()).toEqual([1, "a"]);
    expect(queue.getNowait()).toEqual([2, "d"]);
    expect(await queue.get()).toEqual([3, "c"]);
    expect(queue.empty()).toBe(true);
  });

  test("a custom compare function", () => {
    const queue = new PriorityQueue<{ priority: number }>(0, (a, b) => b.priority - a.priority);
    for (const priority of [2, 9, 4]) queue.putNowait({ priority });
    expect([queue.getNowait(), queue.getNowait(), queue.getNowait()].map((item) => item.priority)).toEqual([9, 4, 2]);
  });

  test("many items come out sorted", () => {
    const queue = new PriorityQueue<number>();
    const items = Array.from({ length: 200 }, (_, i) => (i * 7919) % 211);
    for (const item of items) queue.putNowait(item);
    const out: number[] = [];
    while (!queue.empty()) out.push(queue.getNowait());
    expect(out).toEqual([...items].sort((a, b) => a - b));
  });

  test("defaultCompare: numbers, strings, tuples; anything else asks for a compare function", () => {
    expect(defaultCompare(1, 2)).toBeLessThan(0);
    expect(defaultCompare("b", "a")).toBeGreaterThan(0);
    expect(defaultCompare([1, "a"], [1, "b"])).toBeLessThan(0);
    expect(defaultCompare([1], [1, "a"])).toBeLessThan(0);
    expect(() => defaultCompare({}, {})).toThrow(/pass a compare function/);
    expect(() => new PriorityQueue(0, "x" as unknown as () => number)).toThrow(TypeError);
  });
});

describe("LifoQueue", () => {
  test("last in, first out (order)", async () => {
    const queue = new LifoQueue<number>(2);
    queue.putNowait(1);
    queue.putNowait(0);
    expect(queue.full()).toBe(true);
    void queue.put(3);
    void queue.put(2);
    expect(queue.getNowait()).toBe(3);
    expect(await queue.get()).toBe(2);
    expect(queue.getNowait()).toBe(0);
    expect(await queue.get()).toBe(1);
    expect(queue.empty()).toBe(true);
  });
});

describe("producer and consumer", () => {
  test("join waits for the consumer to finish every item", async () => {
    const queue = new Queue<number>(3);
    const history: number[] = [];
    const consumer = async () => {
      for (;;) {
        history.push(await queue.get());
        queue.taskDone();
      }
    };
    const producer = async () => {
      for (let item = 0; item < 10; item++) await queue.put(item);
    };
    void consumer();
    await producer();
    await queue.join();
    expect(history).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
