/**
 * Tornado: httputil.split_host_and_port.
 */

import { ArgumentTypeError } from "@tornado/util";

/**
 * Splits `host:port` into `[host, port]`; `port` is null when absent. `[::1]:80` gives
 * `["[::1]", 80]` (the regex `^(.+):(\d+)$`, as Tornado).
 */
export function splitHostAndPort(netloc: string): [string, number | null] {
  if (typeof netloc !== "string") throw new ArgumentTypeError(`netloc must be a string, got ${typeof netloc}`);
  const match = /^(.+):(\d+)$/.exec(netloc);
  if (match) return [match[1]!, Number(match[2])];
  return [netloc, null];
}
