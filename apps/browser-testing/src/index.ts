/**
 * @tornado-apps/browser-testing: what the sample apps' browser tests share. Debian's headless
 * Chromium driven by playwright-core (pinned to a version that drives Chromium 156), launched
 * with a fresh profile and closed after; skipped, visibly, where Chromium is missing;
 * screenshots for the READMEs.
 *
 * @example
 * import { describeWithBrowser, useBrowser, saveScreenshot } from "@tornado-apps/browser-testing";
 * describeWithBrowser("the home page", () => {
 *   const browser = useBrowser();
 *   it("greets", async () => {
 *     const page = await browser.newPage();
 *     await page.goto(url);
 *     expect(await page.textContent("h1")).toBe("Hello");
 *     await saveScreenshot(page, appDir, "home.png");
 *   });
 * });
 */
export { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumMissing } from "./chromium";
export { launchBrowser, VIEWPORT } from "./launch-browser";
export type { BrowserSession, LaunchOptions } from "./launch-browser";
export { describeWithBrowser, useBrowser } from "./jest-hooks";
export type { BrowserHandle } from "./jest-hooks";
export { saveScreenshot } from "./screenshot";
export type { Page } from "playwright-core";
