/**
 * ConnectionTimers: the timeouts of an HTTP1Connection. The idle timeout is Node's socket
 * timeout on the stream's socket (one shared, unref'd timer list, refreshed by every read and
 * write: no timer per request); the head, body and lingering-close limits are plain unref'd
 * timers, made only when used (a head that arrives in one packet never starts one).
 *
 * Tornado: HTTP1ConnectionParameters.header_timeout / body_timeout (the head limit counted from
 * the first byte, as node:http's headersTimeout, and the linger limit are ours).
 */

import type * as net from "node:net";

export class ConnectionTimers {
  readonly #socket: net.Socket;
  readonly #onIdle: () => void;
  #head: NodeJS.Timeout | null = null;
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

  /** True while a head timer runs. */
  get headRunning(): boolean {
    return this.#head !== null;
  }

  /** Runs `onTimeout` after `seconds` unless clearHead() comes first. */
  startHead(seconds: number, onTimeout: () => void): void {
    this.clearHead();
    this.#head = setTimeout(() => {
      this.#head = null;
      onTimeout();
    }, seconds * 1000);
    this.#head.unref();
  }

  clearHead(): void {
    if (this.#head !== null) {
      clearTimeout(this.#head);
      this.#head = null;
    }
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

  /** Stops the request timers (head and body): the connection is closing. */
  clearRequest(): void {
    this.clearHead();
    this.clearBody();
  }

  /** Stops every timer and removes the socket's (on close, or before handing the socket over). */
  stop(): void {
    this.clearRequest();
    if (this.#linger !== null) clearTimeout(this.#linger);
    this.#linger = null;
    this.#socket.setTimeout(0);
    this.#socket.off("timeout", this.#onIdle);
  }
}
