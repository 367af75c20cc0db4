/**
 * An async getCurrentUser, awaited before prepare() and the method (Tornado's users asked
 * for this in tornadoweb/tornado#2434): `currentUser` is then the resolved user everywhere,
 * in prepare, the method, `authenticated` and templates. A sync getCurrentUser stays lazy
 * (called on first read of currentUser), as in Tornado.
 */

import { isThenable } from "@tornado/util";
import type { RequestHandler } from "./request-handler";

function isAsyncFunction(fn: unknown): boolean {
  return typeof fn === "function" && fn.constructor?.name === "AsyncFunction";
}

/** Calls prepare(), first awaiting an `async getCurrentUser()`. @internal */
export function prepareWithCurrentUser(handler: RequestHandler): void | Promise<void> {
  if (isAsyncFunction(handler.getCurrentUser)) {
    const user = handler.currentUser;
    if (isThenable(user)) {
      return Promise.resolve(user).then((value) => {
        handler.currentUser = value;
        return handler.prepare();
      });
    }
  }
  return handler.prepare();
}

/**
 * The current user, awaiting it when getCurrentUser returned a Promise (a function that
 * returns one without being declared `async`), and keeping the resolved value.
 */
export async function resolvedCurrentUser(handler: RequestHandler): Promise<unknown> {
  const user = handler.currentUser;
  if (!isThenable(user)) return user;
  const value = await user;
  handler.currentUser = value;
  return value;
}
