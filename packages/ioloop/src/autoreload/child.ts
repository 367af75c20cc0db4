/**
 * Preloaded (`--require`) by tornado-autoreload into the program it runs: watches what the
 * program loads, and on exit leaves the list for the supervisor, which watches those files
 * while the program is not running (after a crash at startup, say). Internal.
 */

import { writeFileSync } from "node:fs";
import { REPORT_ENV, start, watch, watchedFiles } from "./autoreload";

start();
const report = process.env[REPORT_ENV];
if (report) {
  // A module that failed to load is in no list yet: take the files its stack names.
  process.on("uncaughtExceptionMonitor", (error) => {
    const stack = error instanceof Error ? `${error.stack ?? ""}` : String(error);
    for (const match of stack.matchAll(/(?:file:\/\/)?(\/[^:\s()]+):\d+/g)) watch(match[1] as string);
  });
  process.on("exit", () => {
    try {
      writeFileSync(report, JSON.stringify([...watchedFiles()]));
    } catch {
      // The supervisor then watches the script alone.
    }
  });
}
