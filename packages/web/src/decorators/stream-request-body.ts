/**
 * Tornado: web.stream_request_body.
 */

import { RouteError } from "../errors";

/**
 * Marks a RequestHandler class as streaming its body: prepare() runs once the headers are
 * in, then dataReceived(chunk) for each chunk (a returned Promise pauses reading: flow
 * control), then the method; `request.body` stays empty and no body arguments are parsed.
 * Usable as a decorator (`@streamRequestBody class Upload extends RequestHandler {}`) or a
 * call (`streamRequestBody(Upload)`); the same as `static streamRequestBody = true`.
 */
export function streamRequestBody<T extends abstract new (...args: never[]) => unknown>(handlerClass: T, _context?: unknown): T {
  if (typeof handlerClass !== "function") {
    throw new RouteError(`streamRequestBody expects a RequestHandler class, got ${typeof handlerClass}`);
  }
  Object.defineProperty(handlerClass, "streamRequestBody", { value: true, configurable: true, writable: true });
  return handlerClass;
}
