/**
 * websocketConnect: opens a client WebSocket (on `ws`) and resolves once the server accepted
 * the handshake. Redirects are not followed. A non-101 answer of 300 or more rejects with
 * HTTPClientError(code); any other non-101 answer with WebSocketError("Non-websocket
 * response"); a network failure with HTTPStreamClosedError (599); a handshake slower than
 * connectTimeout with HTTPTimeoutError (599).
 *
 * Tornado: websocket.websocket_connect.
 */

import type { IncomingMessage, ClientRequest } from "node:http";
import type { HTTPRequest } from "@tornado/httpclient";
import { HTTPHeaders } from "@tornado/httputil";
import WebSocket from "ws";
import { toPerMessageDeflate, type CompressionOptions } from "./compression-options";
import { WebSocketError, WebSocketValueError } from "./errors";
import { pingTimes } from "./websocket-protocol";
import { WebSocketClientConnection } from "./websocket-client-connection";
import { DEFAULT_MAX_MESSAGE_SIZE } from "./websocket-handler";

/** Options of websocketConnect (Tornado's keyword arguments, camelCased; times in seconds). */
export interface WebSocketConnectOptions {
  /** Seconds allowed for the connection and handshake; default 20 (the HTTP client's default). */
  connectTimeout?: number;
  /** Called with each message, then with null once closed; readMessage() is not used then. */
  onMessageCallback?: (message: string | Buffer | null) => unknown;
  /** permessage-deflate options: offered when not null/undefined. Tornado: compression_options. */
  compressionOptions?: CompressionOptions | null;
  /** Seconds between client pings; default off. */
  pingInterval?: number;
  /** Seconds to wait for a pong; default (and at most) pingInterval. */
  pingTimeout?: number;
  /** Largest message accepted, bytes; default 10 MiB (larger: close 1009). */
  maxMessageSize?: number;
  /** Subprotocols to offer, in order of preference. */
  subprotocols?: string[];
  /** Extra request headers (with a URL; an HTTPRequest brings its own). */
  headers?: Record<string, string> | HTTPHeaders;
}

type HTTPClientModule = typeof import("@tornado/httpclient");
let httpclient: HTTPClientModule | undefined;

/**
 * @tornado/httpclient (and undici under it), loaded on the first connect: a server that only
 * accepts WebSockets does not pay for the client (about 10 MiB of RSS).
 */
function httpClientModule(): HTTPClientModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first connect (see above)
  httpclient ??= require("@tornado/httpclient") as HTTPClientModule;
  return httpclient;
}

function isHTTPRequest(value: unknown): value is HTTPRequest {
  return value instanceof httpClientModule().HTTPRequest;
}

const SCHEMES: Record<string, string> = { "ws:": "ws:", "wss:": "wss:", "http:": "ws:", "https:": "wss:" };

function toUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new WebSocketValueError(`url must be an absolute ws, wss, http or https URL, got ${JSON.stringify(url)}`, { cause: error });
  }
  const scheme = SCHEMES[parsed.protocol];
  if (scheme === undefined) {
    throw new WebSocketValueError(`url scheme must be ws, wss, http or https, got ${JSON.stringify(url)}`);
  }
  parsed.protocol = scheme;
  return parsed;
}

function headerObject(headers: HTTPRequest["headers"] | WebSocketConnectOptions["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined) return out;
  if (typeof (headers as HTTPHeaders).allItems === "function") {
    for (const [name, value] of (headers as HTTPHeaders).allItems()) out[name] = out[name] === undefined ? value : `${out[name]}, ${value}`;
    return out;
  }
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    out[name] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return out;
}

function responseHeaders(response: IncomingMessage): HTTPHeaders {
  const headers = new HTTPHeaders();
  const raw = response.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.add(raw[i]!, raw[i + 1]!);
  return headers;
}

/**
 * Connects to `url` (ws://, wss://, or http(s):// which maps to them) or an HTTPRequest
 * (whose headers, connectTimeout and TLS options are used). Tornado: websocket_connect.
 *
 * @example
 * const connection = await websocketConnect("ws://127.0.0.1:8888/ws");
 * await connection.writeMessage("hello");
 * console.log(await connection.readMessage());
 * connection.close();
 */
export function websocketConnect(
  urlOrRequest: string | HTTPRequest,
  options: WebSocketConnectOptions = {},
): Promise<WebSocketClientConnection> {
  let url: URL;
  let headers: Record<string, string>;
  let connectTimeout = options.connectTimeout;
  let rejectUnauthorized = true;
  const { HTTPClientError, HTTPStreamClosedError, HTTPTimeoutError } = httpClientModule();
  if (isHTTPRequest(urlOrRequest)) {
    url = toUrl(urlOrRequest.url);
    headers = { ...headerObject(urlOrRequest.headers), ...headerObject(options.headers) };
    connectTimeout ??= urlOrRequest.connectTimeout;
    if (urlOrRequest.validateCert === false) rejectUnauthorized = false;
  } else if (typeof urlOrRequest === "string") {
    url = toUrl(urlOrRequest);
    headers = headerObject(options.headers);
  } else {
    throw new WebSocketValueError(`websocketConnect needs a URL string or an HTTPRequest, got ${typeof urlOrRequest}`);
  }
  if (connectTimeout !== undefined && (typeof connectTimeout !== "number" || !(connectTimeout > 0) || !Number.isFinite(connectTimeout))) {
    throw new WebSocketValueError(`connectTimeout must be a positive number of seconds, got ${String(connectTimeout)}`);
  }
  const maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
  if (!Number.isSafeInteger(maxMessageSize) || maxMessageSize <= 0) {
    throw new WebSocketValueError(`maxMessageSize must be a positive integer of bytes, got ${String(maxMessageSize)}`);
  }
  const ping = { pingInterval: options.pingInterval, pingTimeout: options.pingTimeout };
  pingTimes(ping); // validates
  const perMessageDeflate = toPerMessageDeflate(options.compressionOptions);
  const subprotocols = options.subprotocols ?? [];
  if (!Array.isArray(subprotocols) || subprotocols.some((protocol) => typeof protocol !== "string")) {
    throw new WebSocketValueError("subprotocols must be an array of strings");
  }

  return new Promise<WebSocketClientConnection>((resolve, reject) => {
    let settled = false;
    let upgradeHeaders: HTTPHeaders = new HTTPHeaders();
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, subprotocols, {
        headers,
        handshakeTimeout: (connectTimeout ?? 20) * 1000,
        followRedirects: false,
        perMessageDeflate,
        maxPayload: maxMessageSize,
        rejectUnauthorized,
      });
    } catch (error) {
      throw new WebSocketValueError(`cannot connect to ${url.href}: ${(error as Error).message}`, { cause: error });
    }
    ws.on("error", (error: Error) => {
      if (/handshake has timed out/.test(error.message)) fail(new HTTPTimeoutError("Timeout while connecting"));
      else fail(new HTTPStreamClosedError("Stream closed", error));
    });
    ws.on("upgrade", (response: IncomingMessage) => {
      upgradeHeaders = responseHeaders(response);
    });
    ws.on("unexpected-response", (request: ClientRequest, response: IncomingMessage) => {
      const code = response.statusCode ?? 599;
      response.resume();
      request.destroy();
      if (code >= 300) fail(new HTTPClientError(code, response.statusMessage));
      else fail(new WebSocketError("Non-websocket response"));
    });
    ws.once("open", () => {
      if (settled) {
        ws.terminate();
        return;
      }
      settled = true;
      ws.removeAllListeners("error");
      ws.removeAllListeners("unexpected-response");
      resolve(new WebSocketClientConnection({ ws, headers: upgradeHeaders, onMessageCallback: options.onMessageCallback, ping }));
    });
    ws.once("close", () => fail(new HTTPStreamClosedError()));
  });
}
