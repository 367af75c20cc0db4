/**
 * The beforeEach/afterEach pair of the test runner in use: Jest's globals (also Vitest's with
 * `globals`, Mocha's) when they exist, else node:test's, which are imported, never global.
 */

type Hook = (fn: () => Promise<void> | void) => void;

/** The runner's per-test hooks. */
export interface TestHooks {
  beforeEach: Hook;
  afterEach: Hook;
}

export function testHooks(): TestHooks {
  const globals = globalThis as Partial<TestHooks>;
  if (typeof globals.beforeEach === "function" && typeof globals.afterEach === "function") {
    return { beforeEach: globals.beforeEach, afterEach: globals.afterEach };
  }
  // Loaded only here: Jest 29 cannot resolve "node:test", and Jest never gets this far.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: an import would make Jest resolve it
  const nodeTest = require("node:test") as TestHooks;
  return { beforeEach: nodeTest.beforeEach, afterEach: nodeTest.afterEach };
}
