/**
 * Tornado: httputil.url_concat (with Python's urlencode / quote_plus and parse_qsl).
 */

import { ArgumentTypeError } from "@tornado/util";
import { parseQsBytes } from "./parse-qs-bytes";

const UNRESERVED = /[A-Za-z0-9_.\-~]/;

/** Python's `urllib.parse.quote_plus` on UTF-8: unreserved kept, space as `+`, rest `%XX`. */
export function quotePlus(value: string): string {
  const bytes = Buffer.from(value, "utf8");
  let out = "";
  for (const byte of bytes) {
    const ch = String.fromCharCode(byte);
    if (byte < 0x80 && UNRESERVED.test(ch)) out += ch;
    else if (byte === 0x20) out += "+";
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

export type UrlArguments =
  | Record<string, string | number>
  | ReadonlyArray<readonly [string, string | number]>
  | null
  | undefined;

/**
 * Appends `args` to `url`'s query, keeping the existing query (blank values kept, re-encoded),
 * and the fragment. `args` may be an object or an array of pairs.
 *
 * @example urlConcat("http://x/p?a=1", { b: "2" }) // "http://x/p?a=1&b=2"
 */
export function urlConcat(url: string, args: UrlArguments): string {
  if (args === null || args === undefined) return url;
  let pairs: Array<readonly [string, string | number]>;
  if (Array.isArray(args)) {
    pairs = args as Array<readonly [string, string | number]>;
  } else if (typeof args === "object") {
    pairs = Object.entries(args as Record<string, string | number>);
  } else {
    throw new ArgumentTypeError(`'args' parameter should be an object or an array of pairs, got ${typeof args}`);
  }
  if (pairs.length === 0) return url;
  const hashIndex = url.indexOf("#");
  const fragment = hashIndex >= 0 ? url.slice(hashIndex) : "";
  const withoutFragment = hashIndex >= 0 ? url.slice(0, hashIndex) : url;
  const queryIndex = withoutFragment.indexOf("?");
  const base = queryIndex >= 0 ? withoutFragment.slice(0, queryIndex) : withoutFragment;
  const query = queryIndex >= 0 ? withoutFragment.slice(queryIndex + 1) : "";
  const parts: string[] = [];
  for (const [name, values] of parseQsBytes(query)) {
    parts.push(`${quotePlus(name)}=${quotePlus(values.toString("utf8"))}`);
  }
  for (const [name, value] of pairs) parts.push(`${quotePlus(String(name))}=${quotePlus(String(value))}`);
  return `${base}?${parts.join("&")}${fragment}`;
}
