/**
 * WebSocketProtocol: one open `ws` WebSocket seen the Tornado way, shared by the server
 * handler and the client connection. It delivers messages one at a time and in order (an
 * async receiver pauses the socket until it settles), writes with backpressure, closes with
 * Tornado's rules (5 s for the peer's close frame), pings on an interval with a timeout, and
 * reports the close exactly once, after the last delivered message.
 *
 * Tornado: websocket.WebSocketProtocol13 (framing, masking and deflate are `ws`'s).
 */

import { jsonEncode } from "@tornado/escape";
import type WebSocket from "ws";
import { RESOLVED } from "@tornado/util";
import { flushBroadcasts } from "./broadcast-queue";
import { WebSocketClosedError, WebSocketValueError } from "./errors";

/** What a protocol reports to its owner (the handler or the client connection). */
export interface ProtocolOwner {
  /** A text (string) or binary (Buffer) message; a returned Promise holds the next one back. */
  _protocolMessage(message: string | Buffer): unknown;
  /** A ping arrived (the pong is already sent). */
  _protocolPing(data: Buffer): void;
  /** A pong arrived. */
  _protocolPong(data: Buffer): void;
  /** The receiver threw or rejected: the owner logs it; the connection is then aborted. */
  _protocolMessageError(error: unknown): void;
  /** The connection is closed (called once; may return a Promise that closeAllConnections awaits). */
  _protocolClosed(code: number | null, reason: string | null): unknown;
}

/** Pinging, in seconds (Tornado's ping_interval / ping_timeout). */
export interface PingOptions {
  /** Seconds between pings; 0 or undefined disables them. */
  pingInterval?: number;
  /** Seconds to wait for the pong before closing with 1000 "ping timed out"; default pingInterval, at most pingInterval. */
  pingTimeout?: number;
}

/** What writeMessage takes: text, bytes, or a plain object sent as JSON. */
export type WebSocketMessage = string | Buffer | Uint8Array | Record<string, unknown>;

const TEXT = { binary: false };
const BINARY = { binary: true };
const NOOP = (): void => {};
/** Tornado waits this long for the peer's close frame before aborting (seconds). */
const CLOSE_TIMEOUT_MS = 5000;
const OPEN = 1;
/** Where a ws WebSocket keeps its protocol object. */
const PROTOCOL = Symbol("tornado.websocket.protocol");

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === "object" && typeof (value as PromiseLike<unknown>).then === "function";
}

/** Checks a ping payload: at most 125 bytes (RFC 6455 5.5). */
export function pingPayload(data: string | Buffer | Uint8Array | undefined): Buffer {
  if (data === undefined) return Buffer.alloc(0);
  let payload: Buffer;
  if (typeof data === "string") payload = Buffer.from(data);
  else if (data instanceof Uint8Array) payload = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  else throw new WebSocketValueError(`ping data must be a string or bytes, got ${typeof data}`);
  if (payload.length > 125) {
    throw new WebSocketValueError(`ping data must be at most 125 bytes, got ${payload.length}`);
  }
  return payload;
}

/** Checks seconds options; returns [interval, timeout] in milliseconds (0 = off). */
export function pingTimes(options: PingOptions): [number, number] {
  const { pingInterval, pingTimeout } = options;
  for (const [name, value] of [["pingInterval", pingInterval], ["pingTimeout", pingTimeout]] as const) {
    if (value !== undefined && value !== null && (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value))) {
      throw new WebSocketValueError(`${name} must be a non-negative number of seconds, got ${String(value)}`);
    }
  }
  const interval = pingInterval ?? 0;
  if (!(interval > 0)) return [0, 0];
  // Tornado 6.5: the timeout defaults to the interval and is clamped to it.
  const timeout = Math.min(pingTimeout ?? interval, interval);
  return [interval * 1000, timeout * 1000];
}

export class WebSocketProtocol {
  readonly ws: WebSocket;
  readonly #owner: ProtocolOwner;
  #ready = false;
  #busy = false;
  #paused = false;
  #queue: (string | Buffer)[] = [];
  #closing = false;
  #socketClosed = false;
  #reported = false;
  #closeCode: number | null = null;
  #closeReason: string | null = null;
  #closeTimer: NodeJS.Timeout | null = null;
  #pingTimer: NodeJS.Timeout | null = null;
  #pongTimer: NodeJS.Timeout | null = null;
  #pongReceived = true;
  #drain: Promise<void> | null = null;
  /** Resolvers of whenClosed(); "done" once the close was reported and onClose settled. */
  #closedWaiters: (() => void)[] | "done" | null = null;
  #registry: Set<WebSocketProtocol> | null = null;
  /** Told once when the socket closes (WebSocketGroup drops the member). */
  #closeListeners: ((protocol: WebSocketProtocol) => void)[] | null = null;

  // The listeners are shared by every connection (no closures per connection: 10,000 idle
  // WebSockets should cost what `ws` costs); `this` is the ws WebSocket.
  static readonly #listeners = {
    message(this: WebSocket, data: Buffer, isBinary: boolean): void {
      (this as unknown as Record<symbol, WebSocketProtocol>)[PROTOCOL]!.#onMessage(data, isBinary);
    },
    close(this: WebSocket, code: number, reason: Buffer): void {
      (this as unknown as Record<symbol, WebSocketProtocol>)[PROTOCOL]!.#onClose(code, reason);
    },
    ping(this: WebSocket, data: Buffer): void {
      const protocol = (this as unknown as Record<symbol, WebSocketProtocol>)[PROTOCOL]!;
      protocol.#owner._protocolPing(data);
    },
    pong(this: WebSocket, data: Buffer): void {
      const protocol = (this as unknown as Record<symbol, WebSocketProtocol>)[PROTOCOL]!;
      protocol.#pongReceived = true;
      protocol.#owner._protocolPong(data);
    },
  };

  constructor(ws: WebSocket, owner: ProtocolOwner) {
    this.ws = ws;
    this.#owner = owner;
    (ws as unknown as Record<symbol, WebSocketProtocol>)[PROTOCOL] = this;
    const listeners = WebSocketProtocol.#listeners;
    // Without an 'error' listener, `ws` throws on the first malformed frame and takes the
    // process down; `ws` has already sent the close frame (1002, 1007, 1009) by then.
    ws.on("error", NOOP);
    ws.on("message", listeners.message);
    ws.on("close", listeners.close);
    ws.on("ping", listeners.ping);
    ws.on("pong", listeners.pong);
  }

  /** Files this connection in `registry` until it closes. @internal */
  _track(registry: Set<WebSocketProtocol>): void {
    if (this.#closedWaiters === "done") return;
    this.#registry = registry;
    registry.add(this);
  }

  /** Calls `listener(this)` once, when the socket closes, before onClose runs. @internal */
  _addCloseListener(listener: (protocol: WebSocketProtocol) => void): void {
    (this.#closeListeners ??= []).push(listener);
  }

  /** @internal */
  _removeCloseListener(listener: (protocol: WebSocketProtocol) => void): void {
    const index = this.#closeListeners?.indexOf(listener) ?? -1;
    if (index >= 0) this.#closeListeners!.splice(index, 1);
  }

  /** Messages received so far wait for this (Tornado: on_message waits for open()). */
  start(): void {
    this.#ready = true;
    this.#drainQueue();
  }

  /** The close code the peer sent (null when none). Tornado: close_code. */
  get closeCode(): number | null {
    return this.#closeCode;
  }

  /** The close reason the peer sent (null when none). Tornado: close_reason. */
  get closeReason(): string | null {
    return this.#closeReason;
  }

  /** True once close() was called or the connection closed. */
  get isClosing(): boolean {
    return this.#closing || this.#socketClosed || this.ws.readyState !== OPEN;
  }

  /** Resolves once the owner was told of the close (and its onClose settled). */
  whenClosed(): Promise<void> {
    if (this.#closedWaiters === "done") return RESOLVED;
    return new Promise((resolve) => {
      ((this.#closedWaiters as (() => void)[] | null) ??= []).push(resolve);
    });
  }

  // ---------------------------------------------------------------- output

  /**
   * Sends a message; throws WebSocketClosedError at the call once closing or closed. The
   * Promise resolves when the socket has room again, and rejects with WebSocketClosedError if
   * it closes while waiting.
   */
  writeMessage(message: WebSocketMessage, binary = false): Promise<void> {
    const ws = this.ws;
    // At the call, as Tornado's write_message raises; the Promise is for backpressure.
    if (this.#closing || ws.readyState !== OPEN) throw new WebSocketClosedError();
    flushBroadcasts(); // broadcasts of this task go first, in the order they were made
    let data: string | Buffer | Uint8Array;
    if (typeof message === "string" || message instanceof Uint8Array) data = message;
    else if (message !== null && typeof message === "object") data = jsonEncode(message);
    else throw new WebSocketValueError(`message must be a string, bytes or a plain object, got ${typeof message}`);
    ws.send(data, binary ? BINARY : TEXT);
    const socket = (ws as unknown as { _socket: import("node:net").Socket })._socket;
    if (ws.bufferedAmount <= socket.writableHighWaterMark) return RESOLVED;
    return this.#waitDrain(socket);
  }

  #waitDrain(socket: import("node:net").Socket): Promise<void> {
    if (this.#drain === null) {
      const promise = new Promise<void>((resolve, reject) => {
        const onDrain = (): void => {
          socket.off("close", onClose);
          this.#drain = null;
          resolve();
        };
        const onClose = (): void => {
          socket.off("drain", onDrain);
          this.#drain = null;
          reject(new WebSocketClosedError());
        };
        socket.once("drain", onDrain);
        socket.once("close", onClose);
      });
      promise.catch(NOOP);
      this.#drain = promise;
    }
    return this.#drain;
  }

  ping(data?: string | Buffer | Uint8Array): void {
    const payload = pingPayload(data);
    if (this.isClosing) throw new WebSocketClosedError();
    this.ws.ping(payload);
  }

  /**
   * Sends a close frame (none with a payload when code and reason are absent; 1000 when only
   * a reason is given) and aborts if the peer has not closed within 5 s.
   */
  close(code?: number | null, reason?: string | null): void {
    if (this.#closing || this.#socketClosed) return;
    if (code !== undefined && code !== null && (!Number.isInteger(code) || code < 1000 || code > 4999)) {
      throw new WebSocketValueError(`close code must be an integer from 1000 to 4999, got ${String(code)}`);
    }
    if (reason !== undefined && reason !== null && Buffer.byteLength(reason) > 123) {
      throw new WebSocketValueError(`close reason must be at most 123 bytes, got ${Buffer.byteLength(reason)}`);
    }
    flushBroadcasts();
    this.#closing = true;
    this.#stopPinging();
    if ((code === undefined || code === null) && reason) code = 1000;
    try {
      if (code === undefined || code === null) this.ws.close();
      else this.ws.close(code, reason ?? undefined);
    } catch {
      // A code `ws` refuses to send (1004-1006, 1015): close without one.
      this.ws.close();
    }
    if (!this.#socketClosed) {
      this.#closeTimer = setTimeout(() => this.abort(), CLOSE_TIMEOUT_MS);
    }
  }

  /** Closes the TCP connection without a close frame. Tornado: _abort. */
  abort(): void {
    this.#closing = true;
    this.#queue = [];
    this.#stopPinging();
    this.ws.terminate();
  }

  // ---------------------------------------------------------------- pings

  /** Starts the ping loop (Tornado: start_pinging). */
  startPinging(options: PingOptions): void {
    const [interval, timeout] = pingTimes(options);
    if (interval === 0) return;
    const sendPing = (): void => {
      this.#pingTimer = null;
      if (this.isClosing) return;
      this.#pongReceived = false;
      this.ws.ping();
      if (timeout > 0) this.#pongTimer = setTimeout(checkPong, timeout);
      this.#pingTimer = setTimeout(sendPing, interval);
    };
    const checkPong = (): void => {
      this.#pongTimer = null;
      if (!this.#pongReceived && !this.isClosing) this.close(1000, "ping timed out");
    };
    this.#pingTimer = setTimeout(sendPing, interval);
  }

  #stopPinging(): void {
    if (this.#pingTimer !== null) clearTimeout(this.#pingTimer);
    if (this.#pongTimer !== null) clearTimeout(this.#pongTimer);
    this.#pingTimer = this.#pongTimer = null;
  }

  // ---------------------------------------------------------------- input

  #onMessage(data: Buffer, isBinary: boolean): void {
    const message = isBinary ? data : data.toString();
    if (!this.#ready || this.#busy) {
      // Held back until open() or the previous onMessage settles; the socket pauses so that
      // a slow receiver applies backpressure to the peer.
      this.#queue.push(message);
      if (!this.#paused) {
        this.#paused = true;
        this.ws.pause();
      }
      return;
    }
    this.#dispatch(message);
  }

  #dispatch(message: string | Buffer): void {
    let result: unknown;
    try {
      result = this.#owner._protocolMessage(message);
    } catch (error) {
      this.#messageError(error);
      return;
    }
    if (isThenable(result)) {
      this.#busy = true;
      result.then(() => this.#settled(), (error: unknown) => {
        this.#busy = false;
        this.#messageError(error);
      });
    }
  }

  #settled(): void {
    this.#busy = false;
    this.#drainQueue();
  }

  #drainQueue(): void {
    const queue = this.#queue;
    while (!this.#busy && this.#ready && queue.length > 0) this.#dispatch(queue.shift()!);
    if (this.#busy) return;
    if (this.#socketClosed) this.#report();
    else if (this.#paused) {
      this.#paused = false;
      this.ws.resume();
    }
  }

  #messageError(error: unknown): void {
    try {
      this.#owner._protocolMessageError(error);
    } finally {
      this.abort();
      if (this.#socketClosed) this.#report();
    }
  }

  #onClose(code: number, reason: Buffer): void {
    this.#socketClosed = true;
    const closeListeners = this.#closeListeners;
    this.#closeListeners = null;
    if (closeListeners !== null) for (const listener of closeListeners) listener(this);
    this.#closing = true;
    this.#stopPinging();
    if (this.#closeTimer !== null) {
      clearTimeout(this.#closeTimer);
      this.#closeTimer = null;
    }
    // 1005: a close frame without a code; 1006: no close frame at all.
    if (code !== 1005 && code !== 1006) {
      this.#closeCode = code;
      this.#closeReason = reason.length > 0 ? reason.toString() : null;
    }
    // Messages already received are still delivered, in order, before the close is reported.
    if (!this.#busy && (this.#queue.length === 0 || !this.#ready)) this.#report();
    else if (!this.#busy) this.#drainQueue();
  }

  #report(): void {
    if (this.#reported) return;
    this.#reported = true;
    this.#queue = [];
    let result: unknown;
    try {
      result = this.#owner._protocolClosed(this.#closeCode, this.#closeReason);
    } catch {
      result = undefined;
    }
    if (isThenable(result)) result.then(this.#closedDone.bind(this), this.#closedDone.bind(this));
    else this.#closedDone();
  }

  #closedDone(): void {
    this.#registry?.delete(this);
    this.#registry = null;
    const waiters = this.#closedWaiters;
    this.#closedWaiters = "done";
    if (waiters !== null && waiters !== "done") for (const resolve of waiters) resolve();
  }
}
