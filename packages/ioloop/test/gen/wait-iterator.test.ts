// Ported from tornado/test/gen_test.py (WaitIteratorTest).
import { Future, IOLoop, WaitIterator, sleep, withTimeout } from "@tornado/ioloop";

class ZeroDivisionError extends Error {}

test("empty iterator", () => {
  const wait = new WaitIterator();
  expect(wait.done()).toBe(true);
  expect(wait.currentIndex).toBeNull();
  expect(wait.currentFuture).toBeNull();
  expect(() => new WaitIterator(1 as unknown as Promise<number>)).toThrow(TypeError);
});

test("already done: order of already-done futures is kept", async () => {
  const [f1, f2, f3] = [new Future<number>(), new Future<number>(), new Future<number>()];
  f1.setResult(24);
  f2.setResult(42);
  f3.setResult(84);
  const wait = new WaitIterator(f1, f2, f3);
  const seen: Array<[number | null, unknown, number]> = [];
  while (!wait.done()) {
    const result = await wait.next();
    seen.push([wait.currentIndex, wait.currentFuture, result]);
  }
  expect(seen).toEqual([[0, f1, 24], [1, f2, 42], [2, f3, 84]]);
  expect(wait.currentIndex).toBeNull();
  expect(wait.currentFuture).toBeNull();

  const keyed = new WaitIterator({ f1, f2 });
  const byKey: Record<string, number> = {};
  while (!keyed.done()) {
    const result = await keyed.next();
    expect(keyed.currentFuture).toBe(keyed.currentIndex === "f1" ? f1 : f2);
    byKey[keyed.currentIndex as string] = result;
  }
  expect(byKey).toEqual({ f1: 24, f2: 42 });
});

/** Settles the futures over several loop turns, as gen_test's finish_coroutines. */
function finishCoroutines(iteration: number, futures: Future<number>[]): void {
  if (iteration === 3) futures[2]!.setResult(24);
  else if (iteration === 5) futures[0]!.setException(new ZeroDivisionError());
  else if (iteration === 8) {
    futures[1]!.setResult(42);
    futures[3]!.setResult(84);
  }
  if (iteration < 8) IOLoop.current().addCallback(finishCoroutines, iteration + 1, futures);
}

test("iterator: results in the order they finish, errors in place", async () => {
  const futures = [new Future<number>(), new Future<number>(), new Future<number>(), new Future<number>()];
  finishCoroutines(0, futures);
  const wait = new WaitIterator(...futures);
  const log: unknown[] = [];
  while (!wait.done()) {
    try {
      log.push([await wait.next(), wait.currentIndex]);
    } catch (error) {
      expect(error).toBeInstanceOf(ZeroDivisionError);
      expect(wait.currentFuture).toBe(futures[0]);
      log.push("error");
    }
  }
  expect(log).toEqual([[24, 2], "error", [42, 1], [84, 3]]);
});

test("iterator with for await", async () => {
  const futures = [new Future<number>(), new Future<number>(), new Future<number>(), new Future<number>()];
  finishCoroutines(0, futures);
  const wait = new WaitIterator(...futures);
  const log: unknown[] = [];
  await expect(
    (async () => {
      for await (const result of wait) log.push([result, wait.currentIndex]);
    })(),
  ).rejects.toBeInstanceOf(ZeroDivisionError);
  for await (const result of wait) log.push([result, wait.currentIndex]);
  expect(log).toEqual([[24, 2], [42, 1], [84, 3]]);
});

test("no reference to the iterator needed", async () => {
  await expect(withTimeout(0.1, new WaitIterator(sleep(0)).next())).resolves.toBeUndefined();
});
