/**
 * useOpenHandleCheck: fails each test of the file that leaves servers, sockets or timers open
 * (a snapshot in beforeEach, checked in afterEach; Jest's hooks, or node:test's).
 */

import { OpenHandleTracker, type OpenHandleCheckOptions } from "./open-handles";
import { testHooks } from "./test-hooks";

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
  const globals = testHooks();
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
