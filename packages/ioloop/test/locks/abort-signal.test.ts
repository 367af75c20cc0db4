// Cancellable waits: an AbortSignal beside the timeout (Tornado cancels the wait's future:
// locks_test.py / queues_test.py cancellation cases), rejecting with the signal's reason and
// leaving no waiter parked.
import { getEventListeners } from "node:events";
import { Condition, Event, Lock, Queue, Semaphore } from "@tornado/ioloop";

class ClientGone extends Error {}

test("Condition.wait: aborted, removed from the waiters, others still notified", async () => {
  const condition = new Condition();
  const controller = new AbortController();
  const aborted = condition.wait({ signal: controller.signal });
  const other = condition.wait();
  expect(String(condition)).toBe("<Condition waiters[2]>");
  const reason = new ClientGone("client left");
  controller.abort(reason);
  await expect(aborted).rejects.toBe(reason);
  expect(String(condition)).toBe("<Condition waiters[1]>");
  condition.notify();
  await expect(other).resolves.toBe(true);
  expect(String(condition)).toBe("<Condition>");
});

test("Event.wait with a timeout and a signal", async () => {
  const event = new Event();
  const controller = new AbortController();
  const waiting = event.wait({ timeout: 10, signal: controller.signal });
  controller.abort();
  await expect(waiting).rejects.toMatchObject({ name: "AbortError" });
  event.set();
  await expect(event.wait({ signal: new AbortController().signal })).resolves.toBeUndefined();
});

test("an already aborted signal rejects at once, even when the wait would succeed", async () => {
  const reason = new ClientGone();
  const signal = AbortSignal.abort(reason);
  const event = new Event();
  event.set();
  await expect(event.wait({ signal })).rejects.toBe(reason);
  const semaphore = new Semaphore(1);
  await expect(semaphore.acquire({ signal })).rejects.toBe(reason);
  expect(semaphore.value).toBe(1);
  const queue = new Queue<number>();
  queue.putNowait(1);
  await expect(queue.get({ signal })).rejects.toBe(reason);
  expect(queue.qsize()).toBe(1);
});

test("Semaphore and Lock: an aborted acquire does not take the next release", async () => {
  const lock = new Lock();
  const held = await lock.acquire();
  const controller = new AbortController();
  const aborted = lock.acquire({ signal: controller.signal });
  const next = lock.acquire();
  controller.abort();
  await expect(aborted).rejects.toMatchObject({ name: "AbortError" });
  held.release();
  const releaser = await next;
  expect(lock.locked()).toBe(true);
  releaser.release();
  expect(lock.locked()).toBe(false);
  const semaphore = new Semaphore(0);
  const controller2 = new AbortController();
  const waiting = semaphore.acquire({ signal: controller2.signal });
  expect(String(semaphore)).toBe("<Semaphore [locked,waiters:1]>");
  controller2.abort();
  await expect(waiting).rejects.toBeDefined();
  expect(String(semaphore)).toBe("<Semaphore [locked]>");
});

test("Queue.get and put: aborted waiters leave the queue as it was", async () => {
  const queue = new Queue<string>(1);
  const getter = new AbortController();
  const get = queue.get({ signal: getter.signal });
  expect(String(queue)).toBe("<Queue maxsize=1 getters[1]>");
  getter.abort();
  await expect(get).rejects.toBeDefined();
  expect(String(queue)).toBe("<Queue maxsize=1>");
  queue.putNowait("first");
  const putter = new AbortController();
  const put = queue.put("second", { signal: putter.signal });
  putter.abort();
  await expect(put).rejects.toBeDefined();
  expect(queue.getNowait()).toBe("first");
  expect(queue.empty()).toBe(true);
  expect(String(queue)).toBe("<Queue maxsize=1 tasks=1>");
});

test("a settled wait forgets its listener on a long-lived signal", async () => {
  const controller = new AbortController();
  const event = new Event();
  for (let i = 0; i < 3; i++) {
    const waiting = event.wait({ signal: controller.signal });
    event.set();
    await waiting;
    event.clear();
  }
  expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  controller.abort(); // nothing is listening any more: no rejection goes unhandled
  expect(() => new Event().wait({ signal: "nope" as unknown as AbortSignal })).toThrow(TypeError);
});
