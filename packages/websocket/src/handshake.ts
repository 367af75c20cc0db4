/**
 * The server side of the opening handshake, checked in Tornado's order (RFC 6455 4.2.1):
 * Upgrade, Connection, (Origin: in the handler), version, then the required headers. A
 * refusal is an ordinary HTTP answer from the handler, so keep-alive and logging apply.
 * Tornado: WebSocketHandler.get and WebSocketProtocol13._handle_websocket_headers.
 */

import type { HTTPHeaders } from "@tornado/httputil";

/** An HTTP answer that refuses the upgrade. */
export interface HandshakeRefusal {
  status: number;
  reason?: string;
  body: string;
  headers?: Record<string, string>;
}

/** Versions Tornado speaks (7 and 8 frame like 13). */
const VERSIONS = new Set(["7", "8", "13"]);
/** RFC 6455 4.1: 16 random bytes, base64 (24 characters). */
const KEY = /^[+/0-9A-Za-z]{22}==$/;
/** RFC 9110 5.6.2 token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function hasToken(value: string | undefined, token: string): boolean {
  if (value === undefined) return false;
  for (const part of value.split(",")) if (part.trim().toLowerCase() === token) return true;
  return false;
}

/**
 * Before step 1: the handshake is an HTTP/1.1 Upgrade. Over HTTP/2 there is no Upgrade (and
 * RFC 8441's extended CONNECT is not offered, so browsers open WebSockets over HTTP/1.1): 505,
 * saying so. Not in Tornado, which has no HTTP/2.
 */
export function checkHTTPVersion(version: string): HandshakeRefusal | null {
  if (version !== "HTTP/2.0") return null;
  return { status: 505, body: "WebSocket needs HTTP/1.1: WebSocket over HTTP/2 (RFC 8441) is not supported" };
}

/** Steps 1 and 2: Upgrade must be websocket, Connection must list upgrade (400 otherwise). */
export function checkUpgrade(headers: HTTPHeaders): HandshakeRefusal | null {
  if ((headers.get("Upgrade") ?? "").trim().toLowerCase() !== "websocket") {
    return { status: 400, body: 'Can "Upgrade" only to "WebSocket".' };
  }
  if (!hasToken(headers.get("Connection"), "upgrade")) {
    return { status: 400, body: '"Connection" must be "Upgrade".' };
  }
  return null;
}

/** The Origin to check: Origin, else the legacy Sec-WebSocket-Origin (undefined when neither). */
export function requestOrigin(headers: HTTPHeaders): string | undefined {
  return headers.get("Origin") ?? headers.get("Sec-Websocket-Origin");
}

/** Steps 4 and 5: a version we speak (426 otherwise), then Host, a valid key, a valid protocol list (400). */
export function checkHandshakeHeaders(headers: HTTPHeaders): HandshakeRefusal | null {
  const version = headers.get("Sec-WebSocket-Version");
  if (version === undefined || !VERSIONS.has(version.trim())) {
    return { status: 426, reason: "Upgrade Required", body: "", headers: { "Sec-WebSocket-Version": "7, 8, 13" } };
  }
  const key = headers.get("Sec-WebSocket-Key");
  if (headers.get("Host") === undefined || key === undefined || !KEY.test(key.trim())) {
    return { status: 400, body: "Missing/Invalid WebSocket headers" };
  }
  if (parseSubprotocols(headers.get("Sec-WebSocket-Protocol")) === null) {
    return { status: 400, body: "Invalid Sec-WebSocket-Protocol header" };
  }
  return null;
}

/** The offered subprotocols in order ([] when none); null when the list is malformed. */
export function parseSubprotocols(value: string | undefined): string[] | null {
  if (value === undefined || value.trim() === "") return [];
  const protocols: string[] = [];
  for (const part of value.split(",")) {
    const protocol = part.trim();
    if (!TOKEN.test(protocol) || protocols.includes(protocol)) return null;
    protocols.push(protocol);
  }
  return protocols;
}

/**
 * Tornado's default check_origin: the Origin's netloc, lower-cased, must equal the Host
 * header. `127.0.0.1:8888` (no scheme) has no netloc and fails, as with urlparse.
 */
export function sameHostOrigin(origin: string, host: string | undefined): boolean {
  const match = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(origin);
  const netloc = match === null ? "" : match[1]!.toLowerCase();
  return netloc === host;
}
