/**
 * SSLIOStream: an IOStream over a `tls.TLSSocket`, with the handshake as a Promise.
 *
 * Tornado: tornado.iostream.SSLIOStream.
 */

import * as net from "node:net";
import * as tls from "node:tls";
import { ArgumentTypeError } from "@tornado/util";
import { StreamClosedError } from "./errors";
import { IOStream, type IOStreamOptions, type SSLOptions } from "./iostream";
import { genLog } from "./log";

/** Options of an SSLIOStream. */
export interface SSLIOStreamOptions extends IOStreamOptions {
  /** Whether the socket is the server side of the TLS session; detected when omitted. */
  serverSide?: boolean;
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

  /**
   * @param socket a TLSSocket, from tls.connect, a tls.Server, or wrapTlsSocket().
   * @param options buffer limits in bytes, and serverSide.
   */
  constructor(socket: tls.TLSSocket, options: SSLIOStreamOptions = {}) {
    if (!(socket instanceof tls.TLSSocket)) {
      throw new ArgumentTypeError(`SSLIOStream needs a tls.TLSSocket, got ${String(socket)}`);
    }
    super(socket, options);
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

/**
 * Wraps a connected socket in TLS: the server side with `sslOptions` (a `secureContext` in it
 * is reused; otherwise one is made), the client side with tls.connect, which verifies the
 * server's certificate against `serverHostname` unless `rejectUnauthorized` is false.
 *
 * Tornado: netutil.ssl_wrap_socket.
 */
export function wrapTlsSocket(
  socket: net.Socket,
  serverSide: boolean,
  sslOptions: SSLOptions = {},
  serverHostname?: string,
): tls.TLSSocket {
  if (serverSide) return serverTlsSocket(socket, serverTlsOptions(sslOptions));
  const options: tls.ConnectionOptions = { ...sslOptions, socket };
  if (serverHostname !== undefined) {
    options.host = serverHostname;
    // SNI carries host names only (RFC 6066 section 3).
    if (options.servername === undefined && net.isIP(serverHostname) === 0) {
      options.servername = serverHostname;
    }
  }
  return tls.connect(options);
}

/** Options for server-side TLSSockets, with the secure context built once. */
export function serverTlsOptions(sslOptions: SSLOptions): tls.TLSSocketOptions {
  return {
    isServer: true,
    secureContext: sslOptions.secureContext ?? tls.createSecureContext(sslOptions),
    requestCert: sslOptions.requestCert,
    // As tls.Server: with requestCert, untrusted client certificates are refused by default.
    rejectUnauthorized: sslOptions.requestCert ? sslOptions.rejectUnauthorized !== false : false,
    ALPNProtocols: sslOptions.ALPNProtocols,
    SNICallback: sslOptions.SNICallback,
  };
}

interface TLSHandleInternals {
  _handle?: { verifyError?: () => Error | null } | null;
}

/**
 * A server-side TLSSocket over `socket`. OpenSSL only refuses a client without a certificate;
 * tls.Server checks the certificate's chain after the handshake, and so does this (setting
 * `authorized` / `authorizationError` as tls.Server does, and destroying the socket with the
 * verification error when `rejectUnauthorized`).
 */
export function serverTlsSocket(socket: net.Socket, options: tls.TLSSocketOptions): tls.TLSSocket {
  const tlsSocket = new tls.TLSSocket(socket, options);
  if (options.requestCert) {
    tlsSocket.once("secure", () => {
      const verifyError = (tlsSocket as unknown as TLSHandleInternals)._handle?.verifyError?.() ?? null;
      if (verifyError === null) {
        tlsSocket.authorized = true;
      } else {
        tlsSocket.authorizationError = verifyError as unknown as Error;
        if (options.rejectUnauthorized) tlsSocket.destroy(verifyError);
      }
    });
  }
  return tlsSocket;
}
