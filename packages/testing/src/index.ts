/**
 * @tornado/testing: Tornado's testing helpers for Jest: an app on an ephemeral loopback port
 * with a client pointed at it, genTest with ASYNC_TEST_TIMEOUT, ExpectLog, bindUnusedPort, a
 * check that a test left no open handles behind, and a real redis-server for a test.
 *
 * @example
 * import { useHTTPTestServer } from "@tornado/testing";
 * const server = useHTTPTestServer(() => new Application([["/", MainHandler]]));
 * it("says hello", async () => {
 *   const response = await server.fetch("/");
 *   expect(response.text).toBe("Hello, world");
 * });
 */
export { DEFAULT_ASYNC_TEST_TIMEOUT, getAsyncTestTimeout } from "./async-test-timeout";
export { bindUnusedPort } from "./bind-unused-port";
export type { BindUnusedPortOptions, UnusedPort } from "./bind-unused-port";
export { ExpectLog } from "./expect-log";
export type { ExpectLogOptions } from "./expect-log";
export { genTest } from "./gen-test";
export type { GenTestOptions } from "./gen-test";
export { HTTPTestServer, startHTTPTestServer } from "./http-test-server";
export type { HTTPTestServerOptions, HTTPTestTarget } from "./http-test-server";
export { OpenHandleTracker, expectNoOpenHandles } from "./open-handles";
export type { OpenHandleCheckOptions } from "./open-handles";
export { describeWithRedisServer, hasRedisServer, itWithRedisServer, RedisServer, startRedisServer } from "./redis-server";
export { useHTTPTestServer } from "./use-http-test-server";
export { useOpenHandleCheck } from "./use-open-handle-check";
export type { HTTPTestServerHandle, UseHTTPTestServerOptions } from "./use-http-test-server";
export {
  TESTING_ERROR_CODES,
  AsyncTestTimeoutError,
  ExpectLogError,
  OpenHandlesError,
  RedisServerError,
  TestingArgumentError,
} from "./errors";
