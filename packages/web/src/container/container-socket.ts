/**
 * The `socket` a request listener behind NodeContainer sees on `req.socket` and `res.socket`:
 * the peer and local addresses, `encrypted` on TLS, `setTimeout` with its 'timeout' event,
 * and 'close' when the client leaves. The bytes do not pass through it: the HTTP server
 * parsed the request and writes the response, so a direct write is refused.
 */

import type * as net from "node:net";
import { Duplex } from "node:stream";
import { TLSSocket } from "node:tls";
import { NodeContainerError } from "../errors";

/** The addresses ContainerSocket reports. */
export interface ContainerSocketInit {
  /** The real socket of the connection (HTTP/1) or of the HTTP/2 session, when known. */
  socket: net.Socket | undefined;
  /** The peer as the connection context gives it: `[ip, port]`, or a Unix socket path. */
  address: string | [string, number] | undefined;
  /** Called once when the listener destroys the socket (the connection is closed). */
  onDestroy: () => void;
}

/** A stand-in for the request's net.Socket. */
export class ContainerSocket extends Duplex {
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  readonly remoteFamily: string | undefined;
  readonly localAddress: string | undefined;
  readonly localPort: number | undefined;
  /** true on a TLS connection, as net.Socket's TLSSocket has it (express's req.protocol reads it). */
  readonly encrypted: true | undefined;
  /**
   * Response bytes written and not yet taken by the HTTP connection; node's
   * `res.writableLength` and `res.writableFinished` read it as the socket's writableLength.
   */
  queuedBytes = 0;
  readonly #onDestroy: () => void;
  #timer: NodeJS.Timeout | null = null;

  constructor(init: ContainerSocketInit) {
    super({ allowHalfOpen: true, emitClose: true });
    const address = init.address;
    if (Array.isArray(address)) {
      this.remoteAddress = address[0];
      this.remotePort = address[1];
      this.remoteFamily = address[0].includes(":") ? "IPv6" : "IPv4";
    } else {
      this.remoteAddress = init.socket?.remoteAddress ?? address;
      this.remotePort = init.socket?.remotePort;
      this.remoteFamily = init.socket?.remoteFamily;
    }
    this.localAddress = init.socket?.localAddress;
    this.localPort = init.socket?.localPort;
    this.encrypted = init.socket instanceof TLSSocket ? true : undefined;
    this.#onDestroy = init.onDestroy;
  }

  /** `{ address, port, family }` of the local end, as net.Socket.address(). */
  address(): net.AddressInfo | Record<string, never> {
    if (this.localAddress === undefined || this.localPort === undefined) return {};
    return { address: this.localAddress, port: this.localPort, family: this.localAddress.includes(":") ? "IPv6" : "IPv4" };
  }

  /**
   * Emits 'timeout' after `milliseconds` without body bytes in or response bytes out (0
   * disables), as net.Socket.setTimeout; the container answers it as node:http's server does.
   */
  setTimeout(milliseconds: number, callback?: () => void): this {
    if (callback !== undefined) this.once("timeout", callback);
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (milliseconds > 0 && !this.destroyed) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.emit("timeout");
      }, milliseconds).unref();
    }
    return this;
  }

  /** Restarts the idle timer (a body chunk arrived, or the response wrote). @internal */
  _active(): void {
    this.#timer?.refresh();
  }

  // The HTTP server owns these settings: nothing to do per request.
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }

  override _read(): void {}

  override _write(_chunk: unknown, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    callback(new NodeContainerError("NodeContainer: a request listener cannot write to the socket directly; use the response"));
  }

  // An error passed to destroy() is not re-emitted: nothing listens on a stand-in socket for it.
  override _destroy(_error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#onDestroy();
    callback(null);
  }
}

// node declares writableLength as a data property of Writable (TypeScript will not let a
// subclass turn it into an accessor); here it counts what ContainerOutput has queued.
Object.defineProperty(ContainerSocket.prototype, "writableLength", {
  configurable: true,
  get(this: ContainerSocket): number {
    return this.queuedBytes;
  },
});
