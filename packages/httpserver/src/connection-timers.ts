/**
 * ConnectionTimers: the timeouts of an HTTP1Connection. The idle (header) timeout is Node's
 * socket timeout on the stream's socket (one shared, unref'd timer list, refreshed by every read
 * and write: no timer per request); the body timeout and the lingering-close limit are plain
 * unref'd timers, made only when used.
 *
 * Tornado: HTTP1ConnectionParameters.header_timeout / body_timeout (the linger limit is ours:
 * Tornado closes at once).
 */

import type * as net from "node:net";

export class ConnectionTimers {
  readonly #socket: net.Socket;
  readonly #onIdle: () => void;
  #body: NodeJS.Timeout | null = null;
  #linger: NodeJS.Timeout | null = null;

  /**
   * @param idleSeconds seconds without input or output before `onIdle` runs
   */
  constructor(socket: net.Socket, idleSeconds: number, onIdle: () => void) {
    this.#socket = socket;
    this.#onIdle = onIdle;
    socket.on("timeout", onIdle);
    socket.setTimeout(idleSeconds * 1000);
  }

  /** Runs `onTimeout` after `seconds` unless clearBody() comes first (replaces a running one). */
  startBody(seconds: number, onTimeout: () => void): void {
    this.clearBody();
    this.#body = setTimeout(() => {
      this.#body = null;
      onTimeout();
    }, seconds * 1000);
    this.#body.unref();
  }

  clearBody(): void {
    if (this.#body !== null) {
      clearTimeout(this.#body);
      this.#body = null;
    }
  }

  /** Runs `onExpire` after `milliseconds` (the most a lingering close may wait for the peer). */
  startLinger(milliseconds: number, onExpire: () => void): void {
    if (this.#linger !== null) return;
    this.#linger = setTimeout(onExpire, milliseconds);
    this.#linger.unref();
  }

  /** Stops every timer and removes the socket's (on close, or before handing the socket over). */
  stop(): void {
    this.clearBody();
    if (this.#linger !== null) clearTimeout(this.#linger);
    this.#linger = null;
    this.#socket.setTimeout(0);
    this.#socket.off("timeout", this.#onIdle);
  }
}
