/**
 * Tornado: gen.sleep and gen.moment.
 */

import { checkFinite } from "@tornado/util";
import { IOLoop } from "../loop/ioloop";

/**
 * Resolves after `seconds` on the current IOLoop. Tornado: gen.sleep.
 * @param seconds finite; 0 or less resolves on the next timer turn
 */
export function sleep(seconds: number): Promise<void> {
  checkFinite(seconds, "seconds");
  return new Promise<void>((resolve) => {
    IOLoop.current().callLater(seconds, resolve);
  });
}

/**
 * Resolves after one turn of the event loop (setImmediate), letting other callbacks and I/O
 * run first. Tornado: gen.moment (there an awaitable value; here a function).
 */
export function moment(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
