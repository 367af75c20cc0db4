/**
 * The WebSockets open on each HTTPServer, so that HTTPServer.closeAllConnections() closes
 * them too (1001 Going Away) and waits for their onClose (Tornado leaves them open; its users
 * asked for this: tornadoweb/tornado#2763, #2914). A connection is filed under its
 * HTTP1Connection's parameters object, which is its server's `connectionParameters`.
 */

import { HTTPServer } from "@tornado/httpserver";

import type { WebSocketProtocol } from "./websocket-protocol";

const registry = new WeakMap<object, Set<WebSocketProtocol>>();
let hookInstalled = false;

function closeHook(server: HTTPServer): Promise<void> {
  return closeAllWebSockets(server);
}

/** Files an open WebSocket under `key` until it closes. */
export function trackWebSocket(key: object, connection: WebSocketProtocol): void {
  if (!hookInstalled) {
    hookInstalled = true;
    HTTPServer.closeAllConnectionsHooks?.add(closeHook);
  }
  let set = registry.get(key);
  if (set === undefined) {
    set = new Set();
    registry.set(key, set);
  }
  connection._track(set);
}

/**
 * Closes every WebSocket open on `server` with `code` (default 1001, Going Away) and resolves
 * once each one's onClose has run. HTTPServer.closeAllConnections() calls it.
 */
export async function closeAllWebSockets(server: HTTPServer, code = 1001, reason?: string): Promise<void> {
  const set = registry.get(server.connectionParameters);
  if (set === undefined || set.size === 0) return;
  const waits: Promise<void>[] = [];
  for (const connection of [...set]) {
    waits.push(connection.whenClosed());
    try {
      connection.close(code, reason);
    } catch {
      // Already closing.
    }
  }
  await Promise.all(waits);
}
