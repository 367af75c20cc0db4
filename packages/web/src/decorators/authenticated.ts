/**
 * `authenticated`: the method runs only for a logged-in user. Otherwise GET and HEAD redirect
 * to the login URL with `next` (the request URI, or the full URL when the login URL is
 * absolute) and other methods get 403. Works as a TypeScript 5 decorator (`@authenticated`)
 * and as a plain wrapper (`get = authenticated(function () {...})`).
 * Tornado: web.authenticated.
 */

import { quotePlus } from "@tornado/httputil";
import { ArgumentTypeError } from "@tornado/util";
import { HTTPError } from "../errors";
import { resolvedCurrentUser } from "../handler/current-user";
import type { RequestHandler } from "../handler/request-handler";

/** A handler method. */
export type HandlerMethod<This extends RequestHandler = RequestHandler, Args extends unknown[] = unknown[], Result = unknown> = (
  this: This,
  ...args: Args
) => Result;

function hasScheme(url: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(url);
}

/**
 * Wraps a handler method: the wrapper awaits the current user, so it returns a Promise of
 * the method's result (undefined when it redirected). An `async` method keeps its type; a
 * sync method that returns nothing may be decorated too.
 */
export function authenticated<This extends RequestHandler, Args extends unknown[], Result>(
  method: HandlerMethod<This, Args, Result>,
  _context?: ClassMethodDecoratorContext<This, HandlerMethod<This, Args, Result>>,
): HandlerMethod<This, Args, Promise<Awaited<Result> | undefined>> {
  if (typeof method !== "function") throw new ArgumentTypeError(`authenticated wraps a handler method, got ${typeof method}`);
  return async function (this: This, ...args: Args): Promise<Awaited<Result> | undefined> {
    if (!(await resolvedCurrentUser(this))) {
      const httpMethod = this.request.method;
      if (httpMethod === "GET" || httpMethod === "HEAD") {
        let url = this.getLoginUrl();
        if (!url.includes("?")) {
          const next = hasScheme(url) ? this.request.fullUrl() : this.request.uri;
          url += `?next=${quotePlus(next)}`;
        }
        await this.redirect(url);
        return undefined;
      }
      throw new HTTPError(403);
    }
    return await method.apply(this, args);
  };
}
