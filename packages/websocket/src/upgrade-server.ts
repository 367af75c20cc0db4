/**
 * The `ws` WebSocketServers (noServer) that complete our handshakes: one per option set
 * (compression, size limit), shared by every connection that uses it. Our handler has already
 * checked the request Tornado's way; `ws` writes the 101 (plus the handler's headers, passed
 * on the request object) and takes the socket with the bytes read past the headers.
 */

import type * as net from "node:net";
import type WebSocket from "ws";
import { WebSocketServer, type PerMessageDeflateOptions } from "ws";

/** The request as `ws` reads it: lower-cased header names, the choices we made. */
export interface UpgradeRequest {
  method: "GET";
  url: string;
  headers: Record<string, string>;
  socket: net.Socket;
  /** Lines `Name: value` appended to the 101 (Server, Date, default headers, cookies). */
  extraHeaders: string[];
  /** The subprotocol selectSubprotocol() chose, or null. */
  subprotocol: string | null;
}

const servers = new Map<string, WebSocketServer>();

function onHeaders(headers: string[], request: UpgradeRequest): void {
  for (const line of request.extraHeaders) headers.push(line);
}

function handleProtocols(_offered: Set<string>, request: UpgradeRequest): string | false {
  return request.subprotocol ?? false;
}

/** The shared server for these options. */
export function upgradeServer(perMessageDeflate: PerMessageDeflateOptions | false, maxPayload: number): WebSocketServer {
  const key = `${maxPayload}|${perMessageDeflate === false ? "-" : JSON.stringify(perMessageDeflate)}`;
  let server = servers.get(key);
  if (server === undefined) {
    server = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload,
      perMessageDeflate,
      handleProtocols: handleProtocols as never,
    });
    server.on("headers", onHeaders as never);
    if (servers.size < 64) servers.set(key, server);
  }
  return server;
}

/**
 * Completes the handshake on a detached socket; returns the WebSocket, or null when the
 * socket was already closed (`ws` destroys it).
 */
export function completeUpgrade(
  server: WebSocketServer,
  request: UpgradeRequest,
  socket: net.Socket,
  head: Buffer,
): WebSocket | null {
  let result: WebSocket | null = null;
  server.handleUpgrade(request as never, socket, head, (ws) => {
    result = ws;
  });
  return result;
}
