/**
 * The router interfaces. Tornado: routing.Router, routing.ReversibleRouter.
 */

import type {
  HTTPConnection,
  HTTPMessageDelegate,
  HTTPServerConnectionDelegate,
  HTTPServerRequest,
} from "@tornado/httpserver";
import type { TargetParams } from "./matcher";
import { RoutingDelegate } from "./routing-delegate";

/**
 * Picks an HTTPMessageDelegate for each request. A Router is an HTTPServerConnectionDelegate,
 * so it can be given to HTTPServer directly. Tornado: routing.Router.
 */
export abstract class Router implements HTTPServerConnectionDelegate {
  /** Returns the delegate for the request, or null when nothing matches. Tornado: find_handler. */
  abstract findHandler(request: HTTPServerRequest, params?: TargetParams): HTTPMessageDelegate | null;

  startRequest(serverConnection: object, requestConnection: HTTPConnection): HTTPMessageDelegate {
    return new RoutingDelegate(this, serverConnection, requestConnection);
  }

  onClose(_serverConnection: object): void {}
}

/** A router that can also build URLs by rule name. Tornado: routing.ReversibleRouter. */
export abstract class ReversibleRouter extends Router {
  /** The URL for a named rule, or null when this router has no such name. */
  abstract reverseUrl(name: string, ...args: unknown[]): string | null;
}

/** True for Routers, including ones from another copy of this package. */
export function isRouter(value: unknown): value is Router {
  return (
    value instanceof Router ||
    (typeof value === "object" && value !== null && typeof (value as Router).findHandler === "function")
  );
}

/** True for reversible routers. */
export function isReversibleRouter(value: unknown): value is ReversibleRouter {
  return isRouter(value) && typeof (value as ReversibleRouter).reverseUrl === "function";
}

/** True for HTTPServerConnectionDelegate instances (an object with startRequest). */
export function isConnectionDelegate(value: unknown): value is HTTPServerConnectionDelegate {
  return typeof value === "object" && value !== null && typeof (value as HTTPServerConnectionDelegate).startRequest === "function";
}
