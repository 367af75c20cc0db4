/**
 * Tornado: web.RedirectHandler.
 */

import { urlConcat } from "@tornado/httputil";
import { ArgumentTypeError } from "@tornado/util";
import { RequestHandler } from "./request-handler";

// `{0}` or `{name}` in the target URL (Python's str.format fields).
const PLACEHOLDER = /\{(\w+)\}/g;
const DIGITS = /^\d+$/;

/**
 * Redirects GET to `url` (301 unless `permanent: false`). The URL may hold `{0}`, `{1}`...
 * for path groups and `{name}` for named groups; the request's query is appended.
 * Init argument: `{ url, permanent }`. Tornado: web.RedirectHandler.
 */
export class RedirectHandler extends RequestHandler {
  #url = "/";
  #permanent = true;

  override initialize(options: { url: string; permanent?: boolean }): void {
    if (options === undefined || typeof options.url !== "string") {
      throw new ArgumentTypeError(`RedirectHandler needs { url: string }, got ${JSON.stringify(options)}`);
    }
    this.#url = options.url;
    this.#permanent = options.permanent ?? true;
  }

  override get(...args: unknown[]): Promise<void> {
    const named = args.length === 1 && args[0] !== null && typeof args[0] === "object" ? (args[0] as Record<string, unknown>) : {};
    let target = this.#url.replace(PLACEHOLDER, (whole, key: string) => {
      const value = DIGITS.test(key) ? this.pathArgs[Number(key)] : named[key];
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- Tornado's str.format() of what the caller passed
      return value === undefined || value === null ? whole : String(value);
    });
    const query = this.request.queryArguments;
    const pairs: [string, string][] = [];
    for (const name of Object.keys(query)) for (const value of query[name]) pairs.push([name, value.toString("utf8")]);
    if (pairs.length > 0) target = urlConcat(target, pairs);
    return this.redirect(target, this.#permanent);
  }
}
