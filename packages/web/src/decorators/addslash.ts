/**
 * `addslash`: GET/HEAD of a path without a trailing slash get a 301 to the path with one
 * (query kept); other methods 404. A TypeScript 5 decorator or a plain wrapper.
 * Tornado: web.addslash.
 */

import { ArgumentTypeError } from "@tornado/util";
import { HTTPError } from "../errors";
import type { HandlerMethod } from "./authenticated";
import type { RequestHandler } from "../handler/request-handler";

export function addslash<This extends RequestHandler, Args extends unknown[], Result>(
  method: HandlerMethod<This, Args, Result>,
  _context?: ClassMethodDecoratorContext<This, HandlerMethod<This, Args, Result>>,
): HandlerMethod<This, Args, Result | Promise<void>> {
  if (typeof method !== "function") throw new ArgumentTypeError(`addslash wraps a handler method, got ${typeof method}`);
  return function (this: This, ...args: Args): Result | Promise<void> {
    const { path, query, method: httpMethod } = this.request;
    if (!path.endsWith("/")) {
      if (httpMethod === "GET" || httpMethod === "HEAD") {
        let uri = path + "/";
        if (query) uri += "?" + query;
        return this.redirect(uri, true);
      }
      throw new HTTPError(404);
    }
    return method.apply(this, args);
  };
}
