// genTest and ASYNC_TEST_TIMEOUT (testing_test.py: GenTest, AsyncTestCaseTest timeouts).
import { AsyncTestTimeoutError, DEFAULT_ASYNC_TEST_TIMEOUT, TestingArgumentError, genTest, getAsyncTestTimeout } from "@tornado/testing";

const saved = process.env["ASYNC_TEST_TIMEOUT"];
afterEach(() => {
  if (saved === undefined) delete process.env["ASYNC_TEST_TIMEOUT"];
  else process.env["ASYNC_TEST_TIMEOUT"] = saved;
});

test("getAsyncTestTimeout: env seconds, default 5 (test_get_async_test_timeout)", () => {
  delete process.env["ASYNC_TEST_TIMEOUT"];
  expect(getAsyncTestTimeout()).toBe(5);
  expect(DEFAULT_ASYNC_TEST_TIMEOUT).toBe(5);
  process.env["ASYNC_TEST_TIMEOUT"] = "0.5";
  expect(getAsyncTestTimeout()).toBe(0.5);
  process.env["ASYNC_TEST_TIMEOUT"] = "soon";
  expect(() => getAsyncTestTimeout()).toThrow(TestingArgumentError);
  expect(() => getAsyncTestTimeout()).toThrow('ASYNC_TEST_TIMEOUT must be a positive number of seconds, got "soon"');
});

test("a body that settles in time passes its result through (test_sync / test_async)", async () => {
  expect(await genTest(() => 42)()).toBe(42);
  expect(await genTest(async () => "done")()).toBe("done");
});

test("errors of the body propagate (test_exception_in_callback)", async () => {
  const boom = new Error("boom");
  await expect(
    genTest(async () => {
      throw boom;
    })(),
  ).rejects.toBe(boom);
});

test("a body that runs too long fails with AsyncTestTimeoutError (test_timeout)", async () => {
  let release: () => void = () => undefined;
  const never = new Promise<void>((resolve) => (release = resolve));
  const error = await genTest(() => never, { timeout: 0.05 })().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AsyncTestTimeoutError);
  expect((error as AsyncTestTimeoutError).message).toBe("Async operation timed out after 0.05 seconds");
  expect((error as AsyncTestTimeoutError).code).toBe("TORNADO_ERR_TESTING_TIMEOUT");
  release();
});

test("the timeout comes from ASYNC_TEST_TIMEOUT when the test runs (test_timeout_environment_variable)", async () => {
  const wrapped = genTest(() => new Promise<void>(() => undefined));
  process.env["ASYNC_TEST_TIMEOUT"] = "0.05";
  await expect(wrapped()).rejects.toThrow("Async operation timed out after 0.05 seconds");
});

test("an explicit timeout wins over the environment (test_no_timeout_environment_variable)", async () => {
  process.env["ASYNC_TEST_TIMEOUT"] = "0.01";
  const result = await genTest(() => new Promise((resolve) => setTimeout(() => resolve("late but fine"), 50)), {
    timeout: 5,
  })();
  expect(result).toBe("late but fine");
});

test("bad arguments", () => {
  expect(() => genTest("nope" as unknown as () => void)).toThrow(TestingArgumentError);
  expect(() => genTest(() => undefined, { timeout: -1 })).toThrow("timeout must be a positive number of seconds, got -1");
});

// genTest as Jest uses it.
it(
  "works as a Jest test function",
  genTest(async () => {
    await new Promise((resolve) => setImmediate(resolve));
  }),
);
