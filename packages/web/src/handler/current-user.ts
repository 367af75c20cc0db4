/**
 * An async getCurrentUser, awaited before prepare() and the method (Tornado's users asked
 * for this in tornadoweb/tornado#2434): `currentUser` is then the resolved user everywhere,
 * in prepare, the method, `authenticated` and templates. A sync getCurrentUser stays lazy
 * (called on first read of currentUser), as in Tornado.
 */

import { isThenable } from "@tornado/util";
import { checkReturned } from "./execution";

/** The handler members the current user is read and kept through. */
export interface CurrentUserHolder {
  currentUser: unknown;
  getCurrentUser(): unknown;
}

function isAsyncFunction(fn: unknown): boolean {
  return typeof fn === "function" && fn.constructor?.name === "AsyncFunction";
}

/** Calls prepare(), first awaiting an `async getCurrentUser()`; its result is checked as a method's (checkReturned). */
export function prepareWithCurrentUser(handler: CurrentUserHolder & { prepare(): void | Promise<void> }): void | Promise<void> {
  if (isAsyncFunction(handler.getCurrentUser)) {
    const user = handler.currentUser;
    if (isThenable(user)) {
      return Promise.resolve(user).then((value) => {
        handler.currentUser = value;
        return checkReturned(handler.prepare(), handler, "prepare") as void | Promise<void>;
      });
    }
  }
  return checkReturned(handler.prepare(), handler, "prepare") as void | Promise<void>;
}

/**
 * The current user, awaiting it when getCurrentUser returned a Promise (a function that
 * returns one without being declared `async`), and keeping the resolved value.
 */
export async function resolvedCurrentUser(handler: CurrentUserHolder): Promise<unknown> {
  const user = handler.currentUser;
  if (!isThenable(user)) return user;
  const value = await user;
  handler.currentUser = value;
  return value;
}
