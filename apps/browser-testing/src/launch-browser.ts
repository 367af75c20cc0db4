/**
 * One headless Chromium with its own fresh profile, through playwright-core: launched with
 * CHROMIUM_PATH and CHROMIUM_ARGS, closed with its profile removed. Errors the pages raise
 * (uncaught exceptions, console errors such as a Content-Security-Policy refusal) are kept, so
 * a test can insist on none.
 */

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium";

/** CSS pixels of every page, so that screenshots come out the same size everywhere. */
export const VIEWPORT = { width: 1000, height: 700 } as const;

export interface BrowserSession {
  readonly context: BrowserContext;
  /** The profile directory, a fresh temp dir; removed by close(). */
  readonly userDataDir: string;
  /** A new tab whose errors are recorded in `errors`. */
  newPage(): Promise<Page>;
  /** `"<page url>: <message>"` for each uncaught exception or console error, in order. */
  readonly errors: string[];
  /** Closes the browser and removes its profile directory. Safe to call twice. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Milliseconds to wait for Chromium to start; default 60000 (a loaded CI machine is slow). */
  timeout?: number;
}

export async function launchBrowser(options: LaunchOptions = {}): Promise<BrowserSession> {
  const userDataDir = await mkdtemp(join(tmpdir(), "tornado-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: VIEWPORT,
      deviceScaleFactor: 1,
      timeout: options.timeout ?? 60_000,
    });
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
  const errors: string[] = [];
  let closed: Promise<void> | undefined;
  return {
    context,
    userDataDir,
    errors,
    async newPage() {
      const page = await context.newPage();
      page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(`${page.url()}: ${message.text()}`);
      });
      return page;
    },
    close() {
      closed ??= context.close().finally(() => rm(userDataDir, { recursive: true, force: true }));
      return closed;
    },
  };
}
