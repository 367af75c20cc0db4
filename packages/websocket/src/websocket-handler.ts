/**
 * WebSocketHandler: a RequestHandler whose GET upgrades to a WebSocket. prepare() and
 * getCurrentUser() run first, as for any request; the handshake is checked Tornado's way;
 * then the HTTP connection is detached (its parser stops at the end of the headers, its
 * timers stop) and `ws` takes the socket with the bytes already read.
 *
 * Tornado: websocket.WebSocketHandler.
 */

import type { HTTPConnection, HTTPServerRequest } from "@tornado/httpserver";
import { appLog, genLog } from "@tornado/ioloop";
import { RequestHandler, ResponseStateError, type Application, type WriteChunk } from "@tornado/web";
import { HTTPHeaders } from "@tornado/httputil";
import { toPerMessageDeflate, type CompressionOptions } from "./compression-options";
import { WebSocketClosedError } from "./errors";
import { checkHandshakeHeaders, checkHTTPVersion, checkUpgrade, parseSubprotocols, requestOrigin, sameHostOrigin, type HandshakeRefusal } from "./handshake";
import { trackWebSocket } from "./open-websockets";
import { completeUpgrade, upgradeServer, type UpgradeRequest } from "./upgrade-server";
import { WebSocketProtocol, type ProtocolOwner, type WebSocketMessage } from "./websocket-protocol";

// The settings WebSocketHandler reads, added to @tornado/web's checked ApplicationSettings.
declare module "@tornado/web" {
  interface ApplicationSettings {
    /** Seconds between server pings; default off. Tornado: websocket_ping_interval. */
    websocketPingInterval?: number;
    /** Seconds to wait for a pong; default (and at most) websocketPingInterval. Tornado: websocket_ping_timeout. */
    websocketPingTimeout?: number;
    /** Largest message accepted, bytes; default 10 MiB. Tornado: websocket_max_message_size. */
    websocketMaxMessageSize?: number;
  }
}

/** Default websocketMaxMessageSize: 10 MiB. */
export const DEFAULT_MAX_MESSAGE_SIZE = 10 * 1024 * 1024;

const NOT_SUPPORTED = "Method not supported for Web Sockets";
/** Headers `ws` writes itself in the 101. */
const HANDSHAKE_HEADERS = new Set([
  "content-type",
  "content-length",
  "transfer-encoding",
  "upgrade",
  "connection",
  "sec-websocket-accept",
  "sec-websocket-protocol",
  "sec-websocket-extensions",
]);

/**
 * Handlers past the 101. A WeakSet, not a field: the base constructor calls setHeader (from
 * setDefaultHeaders) before this class's fields and private methods exist.
 */
const UPGRADED = new WeakSet<object>();

function checkNotUpgraded(handler: object): void {
  if (UPGRADED.has(handler)) throw new ResponseStateError(NOT_SUPPORTED);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === "object" && typeof (value as PromiseLike<unknown>).then === "function";
}

/**
 * Subclass it and define open() and onMessage(); route it like any handler.
 *
 * @example
 * class EchoHandler extends WebSocketHandler {
 *   onMessage(message: string | Buffer) {
 *     return this.writeMessage(message, Buffer.isBuffer(message));
 *   }
 * }
 * new Application([["/ws", EchoHandler]]);
 *
 * Tornado: websocket.WebSocketHandler.
 */
export class WebSocketHandler extends RequestHandler implements ProtocolOwner {
  #protocol: WebSocketProtocol | null = null;
  #subprotocol: string | null = null;
  #closeCode: number | null = null;
  #closeReason: string | null = null;
  /** The path arguments open() received. Tornado: open_args / open_kwargs. */
  openArgs: unknown[] = [];

  constructor(application: Application, request: HTTPServerRequest) {
    super(application, request);
  }

  // ---------------------------------------------------------------- hooks to override

  /** The connection is open; may be async (messages wait for it). Tornado: open. */
  open(..._args: unknown[]): unknown {
    return undefined;
  }

  /** A text (string) or binary (Buffer) message; may be async (the next waits). Tornado: on_message. */
  onMessage(_message: string | Buffer): unknown {
    throw new Error(`${this.constructor.name} must define onMessage`);
  }

  /** A ping arrived; the pong was sent already. Tornado: on_ping. */
  onPing(_data: Buffer): void {}

  /** A pong arrived. Tornado: on_pong. */
  onPong(_data: Buffer): void {}

  /** The connection closed (called once, whichever side closed). Tornado: on_close. */
  onClose(): unknown {
    return undefined;
  }

  /**
   * Picks one of the offered subprotocols (called once, with [] when none, before open), or
   * null for none. Tornado: select_subprotocol.
   */
  selectSubprotocol(_subprotocols: string[]): string | null {
    return null;
  }

  /**
   * Whether to accept a request with this Origin (Tornado's default: same host as the Host
   * header, else 403). Called only when an Origin header is present. Tornado: check_origin.
   */
  checkOrigin(origin: string): boolean {
    return sameHostOrigin(origin, this.request.headers.get("Host"));
  }

  /**
   * permessage-deflate options, or null (the default) for no compression. Compression is used
   * when this is not null and the client offers it. Tornado: get_compression_options.
   */
  getCompressionOptions(): CompressionOptions | null {
    return null;
  }

  /** Seconds between server pings; the websocketPingInterval setting, default off. Tornado: ping_interval. */
  get pingInterval(): number | undefined {
    return this.settings.websocketPingInterval;
  }

  /**
   * Seconds to wait for a pong before closing; the websocketPingTimeout setting, default (and
   * at most) pingInterval. Tornado: ping_timeout.
   */
  get pingTimeout(): number | undefined {
    return this.settings.websocketPingTimeout;
  }

  /**
   * Largest message accepted, bytes (after decompression); larger ones close the connection
   * with 1009. The websocketMaxMessageSize setting, default 10 MiB. Tornado: max_message_size.
   */
  get maxMessageSize(): number {
    return this.settings.websocketMaxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
  }

  // ---------------------------------------------------------------- state

  /** The subprotocol selectSubprotocol() chose, or null. Tornado: selected_subprotocol. */
  get selectedSubprotocol(): string | null {
    return this.#subprotocol;
  }

  /** The close code the peer sent, once closed (null when none). Tornado: close_code. */
  get closeCode(): number | null {
    return this.#closeCode;
  }

  /** The close reason the peer sent, once closed (null when none). Tornado: close_reason. */
  get closeReason(): string | null {
    return this.#closeReason;
  }

  /** The protocol object while the connection is open, else null. Tornado: ws_connection. */
  get wsConnection(): WebSocketProtocol | null {
    return this.#protocol;
  }

  // ---------------------------------------------------------------- the handshake

  /** Performs the handshake; do not override. Tornado: WebSocketHandler.get. */
  override get(...args: unknown[]): unknown {
    this.openArgs = args;
    const headers = this.request.headers;
    const refusal = checkHTTPVersion(this.request.version) ?? checkUpgrade(headers);
    if (refusal !== null) return this.#refuse(refusal);
    const origin = requestOrigin(headers);
    if (origin !== undefined && !this.checkOrigin(origin)) {
      return this.#refuse({ status: 403, body: "Cross origin websockets not allowed" });
    }
    const invalid = checkHandshakeHeaders(headers);
    if (invalid !== null) return this.#refuse(invalid);
    return this.#accept(args);
  }

  #refuse(refusal: HandshakeRefusal): Promise<void> {
    this.setStatus(refusal.status, refusal.reason);
    for (const [name, value] of Object.entries(refusal.headers ?? {})) this.setHeader(name, value);
    if (refusal.body !== "") genLog.debug(`${refusal.status} ${this._requestSummary()}: ${refusal.body}`);
    return this.finish(refusal.body);
  }

  #accept(args: unknown[]): void {
    const headers = this.request.headers;
    const offered = parseSubprotocols(headers.get("Sec-WebSocket-Protocol")) ?? [];
    const selected = this.selectSubprotocol(offered);
    if (selected !== null && selected !== undefined) {
      if (!offered.includes(selected)) {
        throw new Error(`selectSubprotocol returned ${JSON.stringify(selected)}, which the client did not offer`);
      }
      this.#subprotocol = selected;
    }
    const server = upgradeServer(toPerMessageDeflate(this.getCompressionOptions()), this.maxMessageSize);
    const wsHeaders: Record<string, string> = {
      upgrade: "websocket",
      "sec-websocket-key": headers.get("Sec-WebSocket-Key")!.trim(),
      // 7 and 8 frame as 13 does; `ws` only takes 8 and 13.
      "sec-websocket-version": "13",
    };
    const protocols = headers.get("Sec-WebSocket-Protocol");
    if (protocols !== undefined) wsHeaders["sec-websocket-protocol"] = protocols;
    const extensions = headers.get("Sec-WebSocket-Extensions");
    if (extensions !== undefined) wsHeaders["sec-websocket-extensions"] = extensions;

    // Headers set so far (Server, Date, setDefaultHeaders, prepare, cookies) go out in the 101.
    this.setStatus(101);
    const responseHeaders = new HTTPHeaders(this.responseHeaders);
    this._completeHeaders(responseHeaders);
    const extraHeaders: string[] = [];
    for (const [name, value] of responseHeaders.allItems()) {
      if (!HANDSHAKE_HEADERS.has(name.toLowerCase())) extraHeaders.push(`${name}: ${value}`);
    }
    const key = (this.request.connection as { params?: object } | undefined)?.params ?? this.application;
    const { socket, buffered } = this.detach();
    UPGRADED.add(this);
    // The HTTP connection is done with: let it (parser, buffers) be collected.
    this.request.connection = undefined;
    this.request.serverConnection = undefined;
    (this.request as { _markFinished?: () => void })._markFinished?.();
    this.application.logRequest(this);
    const upgradeRequest: UpgradeRequest = {
      method: "GET",
      url: this.request.uri,
      headers: wsHeaders,
      socket,
      extraHeaders,
      subprotocol: this.#subprotocol,
    };
    const ws = completeUpgrade(server, upgradeRequest, socket, buffered);
    if (ws === null) {
      genLog.debug(`WebSocket closed during the handshake: ${this._requestSummary()}`);
      return;
    }
    const protocol = new WebSocketProtocol(ws, this);
    this.#protocol = protocol;
    trackWebSocket(key, protocol);
    protocol.startPinging({ pingInterval: this.pingInterval, pingTimeout: this.pingTimeout });
    let opened: unknown;
    try {
      opened = this.open(...args);
    } catch (error) {
      this.#openFailed(error);
      return;
    }
    if (isThenable(opened)) {
      opened.then(
        () => protocol.start(),
        (error: unknown) => this.#openFailed(error),
      );
    } else {
      protocol.start();
    }
  }

  #openFailed(error: unknown): void {
    appLog.error(`Uncaught exception in open ${this._requestSummary()}`, error);
    this.#protocol?.abort();
  }

  // ---------------------------------------------------------------- the connection

  /**
   * Sends a message: text for a string (unless `binary`), binary for bytes when `binary`, JSON
   * for a plain object. Throws WebSocketClosedError at the call when the connection is not
   * open, or is closing or closed, as Tornado raises. Resolves when the socket has room again
   * (await it for backpressure); rejects with WebSocketClosedError if the connection closes
   * while waiting. Tornado: write_message.
   */
  writeMessage(message: WebSocketMessage, binary = false): Promise<void> {
    const protocol = this.#protocol;
    if (protocol === null) throw new WebSocketClosedError();
    return protocol.writeMessage(message, binary);
  }

  /** Sends a ping (payload at most 125 bytes). Throws WebSocketClosedError when closed. Tornado: ping. */
  ping(data: string | Buffer | Uint8Array = Buffer.alloc(0)): void {
    if (this.#protocol === null) throw new WebSocketClosedError();
    this.#protocol.ping(data);
  }

  /**
   * Closes the connection: a close frame with `code` and `reason` (1000 if only a reason is
   * given), then the TCP connection when the peer answers (or after 5 s). Tornado: close.
   */
  close(code?: number | null, reason?: string | null): void {
    this.#protocol?.close(code, reason);
  }

  /** Sets TCP_NODELAY on the connection (`ws` turns it on). Tornado: set_nodelay. */
  setNodelay(value: boolean): void {
    const socket = (this.#protocol?.ws as unknown as { _socket?: import("node:net").Socket } | undefined)?._socket;
    socket?.setNoDelay(value);
  }

  // ---------------------------------------------------------------- ProtocolOwner (internal)

  /** @internal */
  _protocolMessage(message: string | Buffer): unknown {
    return this.onMessage(message);
  }

  /** @internal */
  _protocolPing(data: Buffer): void {
    try {
      this.onPing(data);
    } catch (error) {
      appLog.error(`Uncaught exception in onPing ${this._requestSummary()}`, error);
    }
  }

  /** @internal */
  _protocolPong(data: Buffer): void {
    try {
      this.onPong(data);
    } catch (error) {
      appLog.error(`Uncaught exception in onPong ${this._requestSummary()}`, error);
    }
  }

  /** @internal */
  _protocolMessageError(error: unknown): void {
    appLog.error(`Uncaught exception ${this._requestSummary()}`, error);
  }

  /** @internal */
  _protocolClosed(code: number | null, reason: string | null): unknown {
    this.#closeCode = code;
    this.#closeReason = reason;
    let result: unknown;
    try {
      result = this.onClose();
    } catch (error) {
      appLog.error(`Uncaught exception in onClose ${this._requestSummary()}`, error);
      return undefined;
    }
    if (isThenable(result)) {
      return Promise.resolve(result).catch((error: unknown) => {
        appLog.error(`Uncaught exception in onClose ${this._requestSummary()}`, error);
      });
    }
    return undefined;
  }

  // ---------------------------------------------------------------- HTTP output is over


  override setCookie(...args: Parameters<RequestHandler["setCookie"]>): void {
    checkNotUpgraded(this);
    super.setCookie(...args);
  }

  override write(chunk: WriteChunk): void {
    checkNotUpgraded(this);
    super.write(chunk);
  }

  override redirect(url: string, permanent?: boolean, status?: number): Promise<void> {
    checkNotUpgraded(this);
    return super.redirect(url, permanent, status);
  }

  override setHeader(name: string, value: string | number | Date | Buffer): void {
    checkNotUpgraded(this);
    super.setHeader(name, value);
  }

  override setStatus(statusCode: number, reason?: string | null): void {
    checkNotUpgraded(this);
    super.setStatus(statusCode, reason);
  }

  override flush(): Promise<void> {
    checkNotUpgraded(this);
    return super.flush();
  }

  override finish(chunk?: WriteChunk | null): Promise<void> {
    checkNotUpgraded(this);
    return super.finish(chunk);
  }

  /** The upgrade detaches the connection; calling it yourself is not supported. */
  override detach(): ReturnType<HTTPConnection["detach"]> {
    checkNotUpgraded(this);
    return super.detach();
  }
}
