/**
 * `removeslash`: GET/HEAD of a path with trailing slashes get a 301 to the path without them
 * (query kept; `/` itself is left alone); other methods 404. Leading slashes of the target
 * are collapsed to one, so `//evil.com/` cannot become a protocol-relative redirect.
 * A TypeScript 5 decorator or a plain wrapper. Tornado: web.removeslash.
 */

import { ArgumentTypeError } from "@tornado/util";
import { HTTPError } from "../errors";
import type { HandlerMethod } from "./authenticated";
import type { RequestHandler } from "../handler/request-handler";

export function removeslash<This extends RequestHandler, Args extends unknown[], Result>(
  method: HandlerMethod<This, Args, Result>,
  _context?: ClassMethodDecoratorContext<This, HandlerMethod<This, Args, Result>>,
): HandlerMethod<This, Args, Result | Promise<void>> {
  if (typeof method !== "function") throw new ArgumentTypeError(`removeslash wraps a handler method, got ${typeof method}`);
  return function (this: This, ...args: Args): Result | Promise<void> {
    const { path, query, method: httpMethod } = this.request;
    if (path.endsWith("/")) {
      if (httpMethod === "GET" || httpMethod === "HEAD") {
        let uri = path.replace(/\/+$/, "");
        if (uri) {
          uri = uri.replace(/^\/+/, "/");
          if (query) uri += "?" + query;
          return this.redirect(uri, true);
        }
      } else {
        throw new HTTPError(404);
      }
    }
    return method.apply(this, args);
  };
}
