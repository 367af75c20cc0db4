/**
 * useHTTPTestServer: an HTTPTestServer per test, started in beforeEach and stopped in
 * afterEach, of Jest or node:test (Tornado: AsyncHTTPTestCase's setUp/tearDown with get_app()).
 */

import type { FetchOptions, HTTPRequestOptions, HTTPResponse, AsyncHTTPClient } from "@tornado/httpclient";
import type { HTTPServer } from "@tornado/httpserver";
import { TestingArgumentError } from "./errors";
import { HTTPTestServer, type HTTPTestServerOptions, type HTTPTestTarget } from "./http-test-server";
import { OpenHandleTracker } from "./open-handles";
import { testHooks } from "./test-hooks";

export interface UseHTTPTestServerOptions extends HTTPTestServerOptions {
  /**
   * Fail a test that leaves servers, sockets or timers open once the server is stopped
   * (a snapshot before the server starts, checked after it stops), default false.
   */
  checkOpenHandles?: boolean;
}

/** The per-test server: valid inside a test (between beforeEach and afterEach). */
export interface HTTPTestServerHandle {
  readonly port: number;
  readonly httpServer: HTTPServer;
  readonly httpClient: AsyncHTTPClient;
  /** The HTTPTestServer of the running test. */
  readonly current: HTTPTestServer;
  url(path?: string): string;
  wsUrl(path?: string): string;
  fetch(path: string, options?: HTTPRequestOptions & FetchOptions): Promise<HTTPResponse>;
}

/**
 * Registers beforeEach/afterEach hooks that serve `getApp()`'s result for each test: Jest's
 * globals, or node:test's hooks where there are none (a file run by `node --test`).
 *
 * @example
 * const server = useHTTPTestServer(() => new Application([["/", MainHandler]]));
 * it("says hello", async () => expect((await server.fetch("/")).text).toBe("Hello"));
 */
export function useHTTPTestServer(
  getApp: () => HTTPTestTarget | Promise<HTTPTestTarget>,
  options: UseHTTPTestServerOptions = {},
): HTTPTestServerHandle {
  if (typeof getApp !== "function") {
    throw new TestingArgumentError(`useHTTPTestServer needs a function returning the app, got ${typeof getApp}`);
  }
  const globals = testHooks();
  const { checkOpenHandles = false, ...serverOptions } = options;
  let current: HTTPTestServer | undefined;
  let tracker: OpenHandleTracker | undefined;
  globals.beforeEach(async () => {
    if (checkOpenHandles) tracker = new OpenHandleTracker();
    current = await HTTPTestServer.start(await getApp(), serverOptions);
  });
  globals.afterEach(async () => {
    const server = current;
    current = undefined;
    await server?.stop();
    const check = tracker;
    tracker = undefined;
    await check?.check();
  });
  const get = (): HTTPTestServer => {
    if (current === undefined) throw new TestingArgumentError("the test server exists only while a test runs");
    return current;
  };
  return {
    get port() {
      return get().port;
    },
    get httpServer() {
      return get().httpServer;
    },
    get httpClient() {
      return get().httpClient;
    },
    get current() {
      return get();
    },
    url: (path) => get().url(path),
    wsUrl: (path) => get().wsUrl(path),
    fetch: (path, fetchOptions) => get().fetch(path, fetchOptions),
  };
}
