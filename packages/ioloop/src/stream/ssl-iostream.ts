/**
 * SSLIOStream: an IOStream over a `tls.TLSSocket`, with the handshake as a Promise, and
 * connect(address, serverHostname) for a client stream made over a socket not yet connected.
 *
 * Tornado: tornado.iostream.SSLIOStream.
 */

import * as net from "node:net";
import * as tls from "node:tls";
import { ArgumentTypeError, describeValue } from "@tornado/util";
import { IOStreamBusyError, StreamClosedError } from "../errors";
import { genLog } from "../log/logger";
import { IOStream, provideSSLStreamFactory, type IOStreamOptions, type StreamAddress } from "./iostream";
import type { SSLOptions } from "./tls-socket";

/** Options of an SSLIOStream. */
export interface SSLIOStreamOptions extends IOStreamOptions {
  /** Whether the socket is the server side of the TLS session; detected when omitted. */
  serverSide?: boolean;
  /**
   * With a plain `net.Socket` not yet connected (then required, `{}` for the defaults): the
   * client TLS options used when connect() runs (Tornado: SSLIOStream(socket, ssl_options=...)).
   * Ignored for a TLSSocket.
   */
  sslOptions?: SSLOptions;
}

/** The host name connect() verifies, set when it runs (the TLS socket exists before). */
interface PendingConnect {
  raw: net.Socket | null;
  hostname: string | undefined;
}

/**
 * A client TLSSocket over a socket that is not connected yet: the handshake starts when it
 * connects, with the server name connect() sets, checked by `checkServerIdentity`.
 */
function lazyClientTlsSocket(raw: net.Socket, sslOptions: SSLOptions, pending: PendingConnect): tls.TLSSocket {
  const check = sslOptions.checkServerIdentity ?? tls.checkServerIdentity;
  return tls.connect({
    ...sslOptions,
    socket: raw,
    checkServerIdentity: (host, cert) => check(pending.hostname ?? host, cert),
  });
}

// Errors that mean "the peer went away", closed without an "SSL Error" line, as in Tornado.
const QUIET_CODES = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "ETIMEDOUT", "ERR_STREAM_PREMATURE_CLOSE"]);

const noop = (): void => {};

interface TLSSocketInternals {
  _secureEstablished?: boolean;
  _tlsOptions?: { isServer?: boolean };
}

/**
 * A stream over TLS. Reads and writes may start before the handshake is done (they wait for
 * it); waitForHandshake() resolves once it is. A failed handshake is logged on
 * `tornado.general` as "SSL Error on <peer>: <reason>" (a warning, no traceback) and closes
 * the stream with the TLS error as `error`.
 *
 * Tornado: tornado.iostream.SSLIOStream.
 */
export class SSLIOStream extends IOStream {
  declare readonly socket: tls.TLSSocket;
  #handshakeDone = false;
  /** host:port, kept for the log line: a destroyed socket no longer knows its peer. */
  #peer = "unknown peer";
  #handshake: Promise<void>;
  #resolveHandshake: () => void = noop;
  #rejectHandshake: (error: Error) => void = noop;
  readonly #pending: PendingConnect;

  /**
   * @param socket a TLSSocket (from tls.connect, a tls.Server, or wrapTlsSocket()), or a plain
   *   `net.Socket` not yet connected, for connect() (with `options.sslOptions`).
   * @param options buffer limits in bytes, serverSide, sslOptions.
   */
  constructor(socket: tls.TLSSocket | net.Socket, options: SSLIOStreamOptions = {}) {
    const pending: PendingConnect = { raw: null, hostname: undefined };
    if (!(socket instanceof tls.TLSSocket)) {
      const unconnected = socket instanceof net.Socket && socket.pending && !socket.connecting && !socket.destroyed;
      if (!unconnected || options.sslOptions === undefined) {
        throw new ArgumentTypeError(
          `SSLIOStream needs a tls.TLSSocket, or a net.Socket not yet connected and options.sslOptions, got ${describeValue(socket)}`,
        );
      }
      pending.raw = socket;
      socket = lazyClientTlsSocket(socket, options.sslOptions, pending);
    }
    super(socket, options);
    this.#pending = pending;
    if (socket.remoteAddress) this.#peer = `${socket.remoteAddress}:${socket.remotePort}`;
    else socket.once("connect", () => (this.#peer = `${socket.remoteAddress}:${socket.remotePort}`));
    const internals = socket as unknown as TLSSocketInternals;
    const serverSide = options.serverSide ?? internals._tlsOptions?.isServer === true;
    this.#handshake = new Promise<void>((resolve, reject) => {
      this.#resolveHandshake = resolve;
      this.#rejectHandshake = reject;
    });
    this.#handshake.catch(noop);
    if (internals._secureEstablished === true) {
      this.#onHandshake();
    } else if (this.closed()) {
      this.#handshakeDone = true;
      this.#rejectHandshake(this.error ?? new StreamClosedError());
    } else {
      // A client's 'secureConnect' comes after certificate verification; a server's 'secure'.
      socket.once(serverSide ? "secure" : "secureConnect", () => this.#onHandshake());
    }
  }

  /**
   * Resolves when the TLS handshake has completed; rejects with the TLS error that closed the
   * stream (or StreamClosedError if it closed without one). Tornado: wait_for_handshake.
   */
  waitForHandshake(): Promise<void> {
    return this.#handshake;
  }

  /**
   * Connects a stream made over a plain socket not yet connected, and resolves with it once
   * the TLS handshake is done (certificate checked against `serverHostname`, default the host
   * of `address`, unless `rejectUnauthorized: false`); rejects with the TLS or connect error.
   * Tornado: SSLIOStream.connect(address, server_hostname).
   */
  override connect(address: StreamAddress, serverHostname?: string): Promise<this> {
    const raw = this.#pending.raw;
    if (raw === null) {
      throw new IOStreamBusyError("SSLIOStream.connect() needs a stream made over a socket not yet connected");
    }
    this.#pending.raw = null;
    const hostname = serverHostname ?? (typeof address === "string" ? undefined : address[0]);
    this.#pending.hostname = hostname;
    // SNI carries host names only (RFC 6066 section 3).
    // tls.connect sets it the same way (TLSSocket.setServername, undocumented but long-standing).
    if (hostname !== undefined && net.isIP(hostname) === 0) {
      (this.socket as unknown as { setServername(name: string): void }).setServername(hostname);
    }
    if (typeof address === "string") raw.connect(address);
    else raw.connect(address[1], address[0]);
    return this.#handshake.then(() => this);
  }

  override close(error?: Error): void {
    super.close(error);
    if (!this.#handshakeDone) {
      this.#handshakeDone = true;
      // As Tornado's _ssl_connect_future: the real error (a TLS failure) when there is one.
      this.#rejectHandshake(this.error ?? new StreamClosedError());
    }
  }

  protected override handleSocketError(error: Error): void {
    if (!this.#handshakeDone) {
      // During the handshake: "SSL Error" (or nothing for a peer that left), as Tornado.
      if (!this.closed() && !QUIET_CODES.has((error as { code?: string }).code ?? "")) {
        this.#logSslError(error);
      }
      this.close(error);
      return;
    }
    super.handleSocketError(error);
  }

  #logSslError(error: Error): void {
    const peer = this.socket.remoteAddress ? `${this.socket.remoteAddress}:${this.socket.remotePort}` : this.#peer;
    genLog.warning(`SSL Error on ${peer}: ${error.message}`);
  }

  #onHandshake(): void {
    // A client certificate refused right after the handshake destroys the socket first.
    if (this.#handshakeDone || this.socket.destroyed) return;
    this.#handshakeDone = true;
    this.#resolveHandshake();
  }
}

provideSSLStreamFactory((socket, options) => new SSLIOStream(socket, options));
