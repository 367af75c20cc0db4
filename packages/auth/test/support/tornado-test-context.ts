/**
 * What the ported Tornado auth tests share: the handlers' view of the test (Tornado passes
 * `test=self` to initialize) and an access log kept out of the output.
 */

import type { AsyncHTTPClient } from "@tornado/httpclient";
import type { HTTPTestServerHandle } from "@tornado/testing";

/** What the handlers get from the test (Tornado passes `test=self`). */
export interface TestContext {
  getUrl(path: string): string;
  httpClient(): AsyncHTTPClient;
}

/** The TestContext of a useHTTPTestServer handle. */
export function context(server: () => HTTPTestServerHandle): TestContext {
  return { getUrl: (path) => server().url(path), httpClient: () => server().httpClient };
}

/** The access log of each request is not what these tests look at; Tornado's test runner hides it too. */
export const quiet = { logFunction: (): void => {} };
