// Tornado's concurrent.Future and chain_future (concurrent_test.py's futures, asyncio's rules).
import { CancelledError, Future, InvalidStateError, chainFuture } from "@tornado/ioloop";

test("a Future is set once, awaited, and tells its state", async () => {
  const future = new Future<number>();
  expect(future.done()).toBe(false);
  expect(() => future.result()).toThrow(InvalidStateError);
  future.setResult(42);
  expect(future.done()).toBe(true);
  expect(future.result()).toBe(42);
  expect(future.exception()).toBeNull();
  await expect(future).resolves.toBe(42);
  expect(() => future.setResult(1)).toThrow(InvalidStateError);
  expect(future.cancel()).toBe(false);
});

test("an exception, a cancellation; an unawaited rejection is not unhandled", async () => {
  const failed = new Future<number>();
  failed.setException(new RangeError("bad"));
  expect(() => failed.result()).toThrow(RangeError);
  await expect(failed).rejects.toThrow("bad");
  const cancelled = new Future<number>();
  expect(cancelled.cancel()).toBe(true);
  expect(cancelled.cancelled()).toBe(true);
  await expect(cancelled).rejects.toBeInstanceOf(CancelledError);
});

test("chainFuture copies a result or an error, unless the target is done", async () => {
  const target = new Future<string>();
  chainFuture(Promise.resolve("copied"), target);
  await expect(target).resolves.toBe("copied");
  const failing = new Future<string>();
  chainFuture(Promise.reject(new TypeError("copied error")), failing);
  await expect(failing).rejects.toThrow(TypeError);
  const cancelled = new Future<string>();
  cancelled.cancel();
  const source = new Future<string>();
  chainFuture(source, cancelled);
  source.setResult("ignored");
  await source;
  expect(cancelled.cancelled()).toBe(true);
  expect(() => chainFuture("x" as unknown as Promise<string>, target)).toThrow(TypeError);
});
