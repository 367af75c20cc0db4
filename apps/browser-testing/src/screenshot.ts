/**
 * Screenshots for the apps' READMEs. Every run writes `<app>/test-output/<name>` (ignored by
 * git), so a failing run leaves a picture to look at; with `UPDATE_SCREENSHOTS=1` the test
 * also replaces the committed `<app>/docs/<name>` that the README shows.
 */

import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";

/** Resolves with the paths written. */
export async function saveScreenshot(page: Page, appDir: string, name: string): Promise<string[]> {
  const dirs = [join(appDir, "test-output")];
  if (process.env.UPDATE_SCREENSHOTS === "1") dirs.push(join(appDir, "docs"));
  const image = await page.screenshot({ type: "png", animations: "disabled", caret: "hide" });
  const paths: string[] = [];
  for (const dir of dirs) {
    await mkdir(dir, { recursive: true });
    const path = join(dir, name);
    await writeFile(path, image);
    paths.push(path);
  }
  return paths;
}
