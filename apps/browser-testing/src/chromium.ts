/**
 * Which Chromium the tests drive and how: Debian's `chromium` package (not a browser build
 * that playwright would download: the machines reach no download site), headless, with
 * everything that would reach the network or the GPU switched off.
 */

import { accessSync, constants } from "node:fs";

/** `CHROMIUM_PATH` from the environment, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** The flags every launch passes; the user data dir is a fresh temp dir per launch. */
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Why Chromium cannot run here (for a skipped test's name), or null when it can. */
export function chromiumMissing(path: string = CHROMIUM_PATH): string | null {
  try {
    accessSync(path, constants.X_OK);
    return null;
  } catch {
    return `${path} is not installed (bash scripts/install-peers.sh, or set CHROMIUM_PATH)`;
  }
}
