/**
 * Jest glue: a describe that reports as skipped, with the reason in its name, where Chromium
 * is missing; and one browser per describe block, its pages closed after each test and any
 * page error failing that test.
 */

import type { Page } from "playwright-core";
import { chromiumMissing } from "./chromium";
import { launchBrowser, type BrowserSession, type LaunchOptions } from "./launch-browser";

/** `describe`, or `describe.skip` named "<name> (skipped: <why>)" where Chromium cannot run. */
export function describeWithBrowser(name: string, body: () => void): void {
  const missing = chromiumMissing();
  if (missing === null) describe(name, body);
  else describe.skip(`${name} (skipped: ${missing})`, body);
}

export interface BrowserHandle {
  /** A new tab in the block's browser; closed after the test. */
  newPage(): Promise<Page>;
  /** The block's browser (after beforeAll). */
  readonly session: BrowserSession;
}

/**
 * Launches one browser in `beforeAll` and closes it in `afterAll`. After each test its pages
 * are closed and, unless `allowPageErrors`, the test fails when a page logged an error.
 */
export function useBrowser(options: LaunchOptions & { allowPageErrors?: boolean } = {}): BrowserHandle {
  let session: BrowserSession | undefined;
  const pages: Page[] = [];
  beforeAll(async () => {
    session = await launchBrowser(options);
  }, (options.timeout ?? 60_000) + 5_000);
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((page) => page.close()));
    const errors = session?.errors.splice(0) ?? [];
    if (errors.length > 0 && !options.allowPageErrors) throw new Error(`the page logged errors:\n${errors.join("\n")}`);
  });
  afterAll(async () => {
    await session?.close();
  });
  return {
    async newPage() {
      if (session === undefined) throw new Error("useBrowser: the browser is not launched (call newPage inside a test)");
      const page = await session.newPage();
      pages.push(page);
      return page;
    },
    get session() {
      if (session === undefined) throw new Error("useBrowser: the browser is not launched yet");
      return session;
    },
  };
}
