/**
 * WebSocketClientConnection: the client side of an open WebSocket, as websocketConnect()
 * resolves it. Messages are read with readMessage() (null once closed, every time) or pushed to
 * onMessageCallback. Unread messages hold the socket back: at most one is buffered, as with
 * Tornado's Queue(1), so a slow reader applies backpressure to the server.
 *
 * Tornado: websocket.WebSocketClientConnection.
 */

import { appLog } from "@tornado/ioloop";
import type { HTTPHeaders } from "@tornado/httputil";
import type WebSocket from "ws";
import { WebSocketProtocol, type PingOptions, type ProtocolOwner, type WebSocketMessage } from "./websocket-protocol";

type Waiter = (message: string | Buffer | null) => void;

const NULL_MESSAGE: Promise<null> = Promise.resolve(null);

/** What the connection needs from websocketConnect. */
export interface ClientConnectionInit {
  ws: WebSocket;
  headers: HTTPHeaders;
  onMessageCallback?: (message: string | Buffer | null) => unknown;
  ping?: PingOptions;
}

export class WebSocketClientConnection implements ProtocolOwner {
  /** The 101 response's headers. Tornado: headers. */
  readonly headers: HTTPHeaders;
  /** The `ws` WebSocket underneath. */
  readonly ws: WebSocket;
  /** The protocol object. Tornado: protocol. */
  readonly protocol: WebSocketProtocol;
  readonly #onMessageCallback: ((message: string | Buffer | null) => unknown) | undefined;
  readonly #unread: (string | Buffer)[] = [];
  readonly #waiters: Waiter[] = [];
  #releaseReader: (() => void) | null = null;
  #closed = false;

  /** Replace to see pings from the server (the pong is already sent). Tornado: on_ping. */
  onPing: (data: Buffer) => void = () => {};
  /** Replace to see pongs. Tornado: on_pong. */
  onPong: (data: Buffer) => void = () => {};

  /** @internal Built by websocketConnect. */
  constructor(init: ClientConnectionInit) {
    this.ws = init.ws;
    this.headers = init.headers;
    this.#onMessageCallback = init.onMessageCallback;
    this.protocol = new WebSocketProtocol(init.ws, this);
    this.protocol.startPinging(init.ping ?? {});
    this.protocol.start();
  }

  /** The subprotocol the server selected, or null. Tornado: selected_subprotocol. */
  get selectedSubprotocol(): string | null {
    return this.ws.protocol === "" ? null : this.ws.protocol;
  }

  /** The close code the server sent, once closed (null when none). Tornado: close_code. */
  get closeCode(): number | null {
    return this.protocol.closeCode;
  }

  /** The close reason the server sent, once closed (null when none). Tornado: close_reason. */
  get closeReason(): string | null {
    return this.protocol.closeReason;
  }

  /**
   * Sends a message (see WebSocketHandler.writeMessage); throws WebSocketClosedError at the
   * call once closing or closed. Tornado: write_message.
   */
  writeMessage(message: WebSocketMessage, binary = false): Promise<void> {
    return this.protocol.writeMessage(message, binary);
  }

  /**
   * The next message: a string for text, a Buffer for binary; once the connection is closed
   * and the unread message taken, null on every call (Tornado's gives None once, then waits
   * forever). Tornado: read_message.
   */
  readMessage(): Promise<string | Buffer | null> {
    if (this.#unread.length > 0) {
      const message = this.#unread.shift()!;
      if (this.#unread.length === 0) this.#release();
      return Promise.resolve(message);
    }
    if (this.#closed) return NULL_MESSAGE;
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Sends a ping (at most 125 bytes). Tornado: ping. */
  ping(data: string | Buffer | Uint8Array = Buffer.alloc(0)): void {
    this.protocol.ping(data);
  }

  /** Closes with an optional code and reason (1000 if only a reason). Tornado: close. */
  close(code?: number | null, reason?: string | null): void {
    this.protocol.close(code, reason);
  }

  /** Resolves once the connection is closed. */
  whenClosed(): Promise<void> {
    return this.protocol.whenClosed();
  }

  #release(): void {
    const release = this.#releaseReader;
    this.#releaseReader = null;
    release?.();
  }

  #push(message: string | Buffer | null): unknown {
    const callback = this.#onMessageCallback;
    if (callback !== undefined) return callback(message);
    if (message === null) {
      // Every read waiting now, and every later one, gets null.
      this.#closed = true;
      for (const waiter of this.#waiters.splice(0)) waiter(null);
      return undefined;
    }
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      waiter(message);
      return undefined;
    }
    this.#unread.push(message);
    // Hold the next frame back until this one is read (Tornado's Queue(1)).
    return new Promise<void>((resolve) => {
      this.#releaseReader = resolve;
    });
  }

  // ---------------------------------------------------------------- ProtocolOwner (internal)

  /** @internal */
  _protocolMessage(message: string | Buffer): unknown {
    return this.#push(message);
  }

  /** @internal */
  _protocolPing(data: Buffer): void {
    this.onPing(data);
  }

  /** @internal */
  _protocolPong(data: Buffer): void {
    this.onPong(data);
  }

  /** @internal */
  _protocolMessageError(error: unknown): void {
    appLog.error("Uncaught exception in onMessageCallback", error);
  }

  /** @internal */
  _protocolClosed(): unknown {
    this.#release();
    try {
      this.#push(null);
    } catch (error) {
      appLog.error("Uncaught exception in onMessageCallback", error);
    }
    return undefined;
  }
}
