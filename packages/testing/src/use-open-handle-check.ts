/**
 * useOpenHandleCheck: fails each test of the file that leaves servers, sockets or timers open
 * (a snapshot in Jest's beforeEach, checked in afterEach).
 */

import { TestingArgumentError } from "./errors";
import { OpenHandleTracker, type OpenHandleCheckOptions } from "./open-handles";

type Hook = (fn: () => Promise<void> | void) => void;

/**
 * Registers the hooks. Jest runs the hooks of one block in the order they were declared,
 * outer beforeEach before inner ones and inner afterEach before outer ones: so declare this
 * in an outer block and the hooks that open and close resources in an inner one (or use
 * `useHTTPTestServer(getApp, { checkOpenHandles: true })`).
 *
 * @example
 * useOpenHandleCheck();
 * describe("app", () => { const server = useHTTPTestServer(() => app); ... });
 */
export function useOpenHandleCheck(options?: OpenHandleCheckOptions): void {
  const globals = globalThis as { beforeEach?: Hook; afterEach?: Hook };
  if (typeof globals.beforeEach !== "function" || typeof globals.afterEach !== "function") {
    throw new TestingArgumentError("useOpenHandleCheck needs Jest's beforeEach and afterEach globals");
  }
  let tracker: OpenHandleTracker | undefined;
  globals.beforeEach(() => {
    tracker = new OpenHandleTracker(options);
  });
  globals.afterEach(async () => {
    const current = tracker;
    tracker = undefined;
    await current?.check();
  });
}
