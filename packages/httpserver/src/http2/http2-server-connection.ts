/**
 * HTTP2ServerConnection: one HTTP/2 connection, a node:http2 server session on an accepted
 * socket (TLS after ALPN chose "h2", or cleartext after the client's connection preface),
 * serving each stream to the server's delegate through an HTTP2StreamConnection. It closes
 * itself when idle, and gracefully (GOAWAY, open streams finish) on closeWhenIdle().
 *
 * Not in Tornado (it has no HTTP/2); the counterpart of HTTP1ServerConnection.
 */

import * as http2 from "node:http2";
import type * as net from "node:net";
import { appLog, genLog } from "@tornado/ioloop";
import { RESOLVED } from "@tornado/util";
import type { HTTPConnectionContext, HTTP1ConnectionParameters } from "../http1-connection-parameters";
import type { HTTPServerConnectionDelegate } from "../interfaces";
import { sessionOptions, type HTTP2Parameters } from "./http2-options";
import { HTTP2StreamConnection, type HTTP2StreamOwner } from "./http2-stream-connection";
import { OpenStreams } from "./open-streams";

/** After our GOAWAY and FIN, how long a peer that keeps its side open is waited for. */
const LINGER_MS = 2000;

export class HTTP2ServerConnection implements HTTP2StreamOwner {
  /** The node:http2 session (null until startServing). */
  session: http2.ServerHttp2Session | null = null;
  readonly socket: net.Socket;
  readonly params: Readonly<HTTP1ConnectionParameters>;
  readonly context: HTTPConnectionContext;
  readonly #parameters: HTTP2Parameters;
  #serverDelegate: HTTPServerConnectionDelegate | null = null;
  readonly #streams = new OpenStreams<HTTP2StreamConnection>();
  #closed = false;
  #idle: NodeJS.Timeout | null = null;
  #linger: NodeJS.Timeout | null = null;
  #onClosed: Array<() => void> = [];

  /**
   * @param socket a connected socket whose next bytes are HTTP/2 (the client's preface); bytes
   *   already read from it must have been unshifted back
   * @param parameters the HTTP/2 settings
   * @param params the per-request limits (chunkSize, maxBodySize, bodyTimeout, decompress)
   * @param context peer address and protocol, copied for each stream
   */
  constructor(socket: net.Socket, parameters: HTTP2Parameters, params: Readonly<HTTP1ConnectionParameters>, context: HTTPConnectionContext) {
    this.socket = socket;
    this.#parameters = parameters;
    this.params = params;
    this.context = context;
  }

  /** The streams (requests) open now: a snapshot, made on each call. */
  get streams(): ReadonlySet<HTTP2StreamConnection> {
    return new Set(this.#streams);
  }

  /** HTTP2StreamOwner: the serverConnection handed to startRequest is this object. */
  get serverConnection(): object {
    return this;
  }

  /** HTTP2StreamOwner: where requests go. */
  get serverDelegate(): HTTPServerConnectionDelegate {
    return this.#serverDelegate!;
  }

  /** Starts the session (our SETTINGS go out) and serves each stream to `delegate`. */
  startServing(delegate: HTTPServerConnectionDelegate): void {
    this.#serverDelegate = delegate;
    const socket = this.socket as net.Socket & { secureConnecting?: boolean };
    // A server-side TLSSocket made without a tls.Server (TCPServer wraps sockets itself) keeps
    // `secureConnecting` after its handshake, and node:http2 would wait for a 'secureConnect'
    // that never comes; tls.Server clears it the same way once the handshake is done (which
    // the caller waited for).
    if (socket.secureConnecting === true) socket.secureConnecting = false;
    const session = http2.performServerHandshake(this.socket, sessionOptions(this.#parameters));
    this.session = session;
    session.on("stream", this.#onStream);
    session.on("error", this.#onError);
    session.on("close", this.#onClose);
    // Our own idle timer rather than session.setTimeout, which node refreshes on every frame:
    // this one is re-armed only when the last open stream closes.
    this.#idle = setTimeout(this.#onIdle, this.#parameters.idleTimeout * 1000);
    this.#idle.unref();
  }

  readonly #onStream = (stream: http2.ServerHttp2Stream, _headers: unknown, _flags: number, rawHeaders: string[]): void => {
    const context = this.context;
    const connection = new HTTP2StreamConnection(this, stream, {
      remoteIp: context.remoteIp,
      protocol: context.protocol,
      address: context.address,
      trustedDownstream: context.trustedDownstream,
      parseBodyConfig: context.parseBodyConfig,
    });
    this.#streams.add(connection);
    try {
      connection.start(rawHeaders);
    } catch (error) {
      // Not the peer's doing (start() answers bad input itself): ours, or node refusing a frame.
      appLog.error("Uncaught exception in HTTP/2 stream", error);
      if (!stream.closed) stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    }
  };

  /** HTTP2StreamOwner: a stream closed. */
  streamClosed(connection: HTTP2StreamConnection): void {
    this.#streams.delete(connection);
    if (this.#streams.size === 0) this.#idle?.refresh();
  }

  // Idle: no stream open for idleConnectionTimeout (frames without a stream, PINGs for
  // instance, do not keep a connection).
  readonly #onIdle = (): void => {
    if (this.#streams.size > 0 || this.#closed) return;
    genLog.debug(`Idle HTTP/2 connection timeout from ${this.context.remoteIp}`);
    this.closeWhenIdle();
  };

  readonly #onError = (error: Error): void => {
    const code = (error as { code?: string }).code ?? "";
    const message = `HTTP/2 connection error from ${this.context.remoteIp}: ${error.message}`;
    // A protocol error by the peer (nghttp2 has sent GOAWAY) is logged as HTTP/1's malformed
    // input is; a socket error (a peer that went away) is not news.
    if (code.startsWith("ERR_HTTP2")) genLog.info(message);
    else genLog.debug(message);
  };

  /**
   * Closes gracefully: GOAWAY now (no new streams), the open streams finish, then the session
   * and the socket close; a peer that keeps the socket open is cut after a short linger.
   * For HTTPServer.closeAllConnections().
   */
  closeWhenIdle(): void {
    const session = this.session;
    if (session === null) {
      this.close();
      return;
    }
    if (this.#closed || session.closed || session.destroyed) return;
    // node ends the socket once the last stream is done; the FIN is where the linger starts.
    this.socket.once("finish", () => {
      if (this.#closed || this.#linger !== null) return;
      this.#linger = setTimeout(() => this.socket.destroy(), LINGER_MS);
      this.#linger.unref();
    });
    session.close();
  }

  /** Closes now: open streams are reset (their delegates see onConnectionClose). */
  close(): void {
    if (this.#closed) return;
    if (this.session !== null) {
      this.session.destroy();
      return;
    }
    this.socket.destroy();
    this.#onClose();
  }

  /** True once the session and its socket are closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Resolves when the connection is closed. */
  whenClosed(): Promise<void> {
    if (this.#closed) return RESOLVED;
    return new Promise((resolve) => this.#onClosed.push(resolve));
  }

  readonly #onClose = (): void => {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#idle !== null) clearTimeout(this.#idle);
    if (this.#linger !== null) clearTimeout(this.#linger);
    this.#idle = null;
    this.#linger = null;
    const serverDelegate = this.#serverDelegate;
    if (serverDelegate?.onClose) {
      try {
        serverDelegate.onClose(this);
      } catch (error) {
        appLog.error("Exception in onClose", error);
      }
    }
    const hooks = this.#onClosed;
    this.#onClosed = [];
    for (const hook of hooks) hook();
  };
}
