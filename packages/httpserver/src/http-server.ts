/**
 * HTTPServer: a TCPServer that speaks HTTP/1.x with our own parser and writer: each accepted
 * IOStream (an SSLIOStream for HTTPS) is served by an HTTP1Connection. With `http2`, HTTP/2
 * too, on node:http2 sessions (HTTP2ServerConnection).
 * Tornado: tornado.httpserver.HTTPServer.
 */

import type * as net from "node:net";
import * as tls from "node:tls";
import { IOStream, SSLIOStream, TCPServer, type IOStreamOptions, type PeerAddress, type StopOptions, type TCPServerOptions } from "@tornado/ioloop";
import { resolveParseBodyConfig, type ParseBodyConfig, type ResolvedParseBodyConfig } from "@tornado/httputil";
import { ArgumentTypeError, checkNonNegative, checkPositive, describeValue } from "@tornado/util";
import { DEFAULT_BODY_TIMEOUT, DEFAULT_HEADERS_TIMEOUT, HTTP1Connection } from "./http1-connection";
import { resolveHTTP2Options, type HTTP2Options, type HTTP2Parameters } from "./http2/http2-options";
import { HTTP2ServerConnection } from "./http2/http2-server-connection";
import type { HTTP2StreamConnection } from "./http2/http2-stream-connection";
import { negotiateProtocol } from "./http2/negotiate-protocol";
import type { HTTPConnectionContext, HTTP1ConnectionParameters } from "./http1-connection-parameters";
import type { HTTPConnection, HTTPMessageDelegate, HTTPServerConnectionDelegate } from "./interfaces";
import { RequestCallbackAdapter, type RequestCallback } from "./request-callback-adapter";
import { XHeadersAdapter } from "./xheaders";

/** Options of HTTPServer (Tornado's HTTPServer.initialize keywords, camelCased). */
export interface HTTPServerOptions extends TCPServerOptions {
  /** Trust X-Real-Ip / X-Forwarded-For and X-Scheme / X-Forwarded-Proto; default false. */
  xheaders?: boolean;
  /** Force `request.protocol` (e.g. "https" behind a TLS-terminating proxy). */
  protocol?: string;
  /** Close the connection after each response; default false. */
  noKeepAlive?: boolean;
  /** Decode `Content-Encoding: gzip` request bodies; default false. */
  decompressRequest?: boolean;
  /** Largest body slice handed to dataReceived, bytes; default 65536. */
  chunkSize?: number;
  /** Head size limit, bytes; default 65536. Larger heads are answered 431 and closed. */
  maxHeaderSize?: number;
  /** Seconds an idle keep-alive connection (or one silent in a head) is kept; default 3600. */
  idleConnectionTimeout?: number;
  /**
   * Seconds from the first byte of a request head to its end, however the bytes trickle in;
   * default 60 (node:http's headersTimeout), 0 for none. Over it: 408 and close.
   */
  headersTimeout?: number;
  /** Seconds allowed to read one body; default 300, 0 for none. Over it: 408 and close. */
  bodyTimeout?: number;
  /** Body size limit, bytes; default maxBufferSize, else 104857600. Larger bodies: 413. */
  maxBodySize?: number;
  /** IPs of trusted proxies, skipped when reading X-Forwarded-For from the right. */
  trustedDownstream?: string[];
  /**
   * Limits of argument parsing for every request: `urlencoded.maxArguments` (fields in a query
   * string or urlencoded body; default 1000; more: 414 / 413), `multipart.maxParts` (default
   * 100; more: 413), `multipart.maxPartHeaderSize` (bytes, default 10240), `multipart.enabled`.
   * Tornado: httputil.set_parse_body_config (process-wide there, per server here).
   */
  parseBodyConfig?: ParseBodyConfig;
  /**
   * Serve HTTP/2 as well (true, or HTTP2Options): with sslOptions, to clients whose ALPN
   * chooses "h2"; in cleartext, to clients that open with the HTTP/2 preface (h2c with prior
   * knowledge). HTTP/1.1 goes on on the same port. Default false. Needs Node.js >= 20.12.1.
   */
  http2?: boolean | HTTP2Options;
}

function checkOptionalPositive(name: string, value: number | undefined, unit: string): void {
  if (value !== undefined) checkPositive(value, name, unit);
}

function checkOptionalNonNegative(name: string, value: number | undefined, unit: string): void {
  if (value !== undefined) checkNonNegative(value, name, unit);
}

/** `::ffff:1.2.3.4` (a dual-stack socket's view of an IPv4 peer) -> `1.2.3.4`. */
function plainIp(ip: string): string {
  return ip.startsWith("::ffff:") && ip.indexOf(".") > 0 ? ip.slice(7) : ip;
}

/**
 * An HTTP/1.x server. Give it an HTTPServerConnectionDelegate (an Application) or a request
 * callback `(request) => ...` that answers through `request.connection` (the body is read
 * before the callback runs). Listening, binding and multi-process start come from TCPServer.
 *
 * @example
 * const server = new HTTPServer((request) => {
 *   const body = Buffer.from("Hello, world");
 *   const headers = new HTTPHeaders({ "Content-Length": String(body.length) });
 *   void request.connection!.writeHeaders(new ResponseStartLine("HTTP/1.1", 200, "OK"), headers, body);
 *   request.connection!.finish();
 * });
 * await server.listen(8888);
 *
 * Tornado: httpserver.HTTPServer.
 */
export class HTTPServer extends TCPServer implements HTTPServerConnectionDelegate {
  readonly requestCallback: HTTPServerConnectionDelegate | RequestCallback;
  readonly xheaders: boolean;
  readonly protocol: string | undefined;
  readonly trustedDownstream: ReadonlySet<string>;
  readonly connectionParameters: Readonly<HTTP1ConnectionParameters>;
  /** The argument-parsing limits of its requests (HTTPServerOptions.parseBodyConfig, defaults filled in). */
  readonly parseBodyConfig: ResolvedParseBodyConfig;
  readonly #connections = new Set<HTTP1Connection>();
  readonly #http2Connections = new Set<HTTP2ServerConnection>();
  // Accepted streams whose protocol is not known yet (TLS handshake, or no bytes yet).
  readonly #negotiating = new Set<IOStream>();
  readonly #http2: HTTP2Parameters | null;
  readonly #streamOptions: IOStreamOptions;

  constructor(requestCallback: HTTPServerConnectionDelegate | RequestCallback, options: HTTPServerOptions = {}) {
    if (
      typeof requestCallback !== "function" &&
      (requestCallback === null || typeof requestCallback !== "object" || typeof requestCallback.startRequest !== "function")
    ) {
      throw new ArgumentTypeError(`requestCallback must be a function or an HTTPServerConnectionDelegate, got ${describeValue(requestCallback)}`);
    }
    const http2 =
      options.http2 === undefined || options.http2 === false
        ? null
        : resolveHTTP2Options(options.http2, options.maxHeaderSize ?? 65536, options.idleConnectionTimeout ?? 3600);
    let sslOptions = options.sslOptions;
    if (http2 !== null && sslOptions !== undefined && sslOptions.ALPNProtocols === undefined) {
      sslOptions = { ...sslOptions, ALPNProtocols: ["h2", "http/1.1"] };
    }
    super({
      sslOptions,
      maxBufferSize: options.maxBufferSize,
      readChunkSize: options.readChunkSize,
      maxWriteBufferSize: options.maxWriteBufferSize,
    });
    this.#streamOptions = {
      maxBufferSize: options.maxBufferSize,
      readChunkSize: options.readChunkSize,
      maxWriteBufferSize: options.maxWriteBufferSize,
    };
    checkOptionalPositive("chunkSize", options.chunkSize, "bytes");
    checkOptionalPositive("maxHeaderSize", options.maxHeaderSize, "bytes");
    checkOptionalPositive("maxBodySize", options.maxBodySize, "bytes");
    checkOptionalPositive("idleConnectionTimeout", options.idleConnectionTimeout, "seconds");
    checkOptionalNonNegative("headersTimeout", options.headersTimeout, "seconds");
    checkOptionalNonNegative("bodyTimeout", options.bodyTimeout, "seconds");
    this.requestCallback = requestCallback;
    this.#http2 = http2;
    this.xheaders = options.xheaders === true;
    this.protocol = options.protocol;
    this.trustedDownstream = new Set(options.trustedDownstream ?? []);
    this.parseBodyConfig = resolveParseBodyConfig(options.parseBodyConfig);
    this.connectionParameters = Object.freeze({
      noKeepAlive: options.noKeepAlive === true,
      chunkSize: options.chunkSize ?? 65536,
      maxHeaderSize: options.maxHeaderSize ?? 65536,
      headerTimeout: options.idleConnectionTimeout ?? 3600,
      headersTimeout: options.headersTimeout ?? DEFAULT_HEADERS_TIMEOUT,
      maxBodySize: options.maxBodySize ?? options.maxBufferSize ?? 104857600,
      bodyTimeout: options.bodyTimeout ?? DEFAULT_BODY_TIMEOUT,
      decompress: options.decompressRequest === true,
    });
  }

  /**
   * Serves one accepted connection: an HTTP1Connection takes the IOStream (an SSLIOStream for
   * HTTPS); with `http2`, once ALPN or the first bytes tell, an HTTP2ServerConnection may
   * take its socket instead.
   */
  override handleStream(stream: IOStream, address: PeerAddress): void | Promise<void> {
    if (this.#http2 === null) {
      this.serveStream(stream, address);
      return;
    }
    return this.#negotiate(stream, address, this.#http2);
  }

  async #negotiate(stream: IOStream, address: PeerAddress, http2: HTTP2Parameters): Promise<void> {
    this.#negotiating.add(stream);
    const negotiated = await negotiateProtocol(stream, http2.idleTimeout);
    this.#negotiating.delete(stream);
    if (negotiated === null || stream.closed()) return;
    if (!negotiated.http2) {
      this.serveStream(stream, address, negotiated.buffered);
      return;
    }
    // node:http2 reads the socket itself: the bytes read so far go back in front of it (the
    // session takes a socket's readable buffer first).
    const tlsStream = stream instanceof SSLIOStream;
    const { socket, buffered } = stream.detach();
    const read = negotiated.buffered.length === 0 ? buffered : Buffer.concat([negotiated.buffered, buffered]);
    if (read.length > 0) socket.unshift(read);
    const connection = new HTTP2ServerConnection(socket, http2, this.connectionParameters, this.#context(socket, tlsStream, address));
    this.#http2Connections.add(connection);
    connection.startServing(this);
  }

  #context(socket: net.Socket, tlsStream: boolean, address?: PeerAddress): HTTPConnectionContext {
    const peer = address ?? (socket.remoteAddress !== undefined ? [socket.remoteAddress, socket.remotePort ?? 0] : "");
    return {
      remoteIp: typeof peer === "string" ? "0.0.0.0" : plainIp(peer[0]),
      protocol: this.protocol ?? (tlsStream ? "https" : "http"),
      address: peer,
      trustedDownstream: this.trustedDownstream,
      parseBodyConfig: this.parseBodyConfig,
    };
  }

  /**
   * Serves HTTP on an already-connected socket (TLS or plain), e.g. one accepted elsewhere; it
   * is wrapped in an IOStream (an SSLIOStream for a tls.TLSSocket) with this server's options.
   * @param buffered bytes already read from it
   */
  serveSocket(socket: net.Socket, address?: PeerAddress, buffered?: Buffer): HTTP1Connection {
    const options = this.#streamOptions;
    const stream = socket instanceof tls.TLSSocket ? new SSLIOStream(socket, options) : new IOStream(socket, options);
    return this.serveStream(stream, address, buffered);
  }

  /**
   * Serves HTTP on an IOStream; the returned connection owns it.
   * @param buffered bytes already read from its socket, parsed first
   */
  serveStream(stream: IOStream, address?: PeerAddress, buffered?: Buffer): HTTP1Connection {
    const context = this.#context(stream.socket, stream instanceof SSLIOStream, address);
    const connection = new HTTP1Connection(stream, this.connectionParameters, context);
    this.#connections.add(connection);
    connection.startServing(this, buffered);
    return connection;
  }

  /** HTTPServerConnectionDelegate: a message delegate for one request. */
  startRequest(serverConnection: object, requestConnection: HTTPConnection): HTTPMessageDelegate {
    const callback = this.requestCallback;
    let delegate: HTTPMessageDelegate =
      typeof callback === "function"
        ? new RequestCallbackAdapter(callback, requestConnection, serverConnection)
        : callback.startRequest(serverConnection, requestConnection);
    if (this.xheaders) delegate = new XHeadersAdapter(delegate, (requestConnection as HTTP1Connection | HTTP2StreamConnection).context);
    return delegate;
  }

  /** HTTPServerConnectionDelegate: a connection closed (or was detached). */
  onClose(serverConnection: object): void {
    this.#connections.delete(serverConnection as HTTP1Connection);
    this.#http2Connections.delete(serverConnection as HTTP2ServerConnection);
    const callback = this.requestCallback;
    if (typeof callback !== "function" && callback.onClose) callback.onClose(serverConnection);
  }

  /** The HTTP/1 connections currently open (not counting detached ones). */
  get connections(): ReadonlySet<HTTP1Connection> {
    return this.#connections;
  }

  /** The HTTP/2 connections (sessions) currently open. */
  get http2Connections(): ReadonlySet<HTTP2ServerConnection> {
    return this.#http2Connections;
  }

  /**
   * Stops accepting (TCPServer.stop); with `closeStreams`, also closes the HTTP/2 connections
   * at once (their sockets left the TCPServer's streams when the session took them).
   */
  override stop(options: StopOptions = {}): void {
    super.stop(options);
    if (options.closeStreams) for (const connection of this.#http2Connections) connection.close();
  }

  /**
   * Closes every connection gracefully: idle ones now, busy ones once their in-flight
   * response is finished (keep-alive stops); an HTTP/2 connection gets GOAWAY at once and
   * closes when its open streams are done. Resolves when all are closed. Call stop() first
   * to stop accepting. Tornado: HTTPServer.close_all_connections.
   */
  async closeAllConnections(): Promise<void> {
    const waits: Promise<void>[] = [];
    // Not yet speaking any protocol: nothing in flight.
    for (const stream of this.#negotiating) stream.close();
    for (const connection of this.#connections) {
      waits.push(connection.whenClosed());
      connection.closeWhenIdle();
    }
    for (const connection of this.#http2Connections) {
      waits.push(connection.whenClosed());
      connection.closeWhenIdle();
    }
    for (const hook of HTTPServer.closeAllConnectionsHooks) waits.push(hook(this));
    await Promise.all(waits);
  }

  /**
   * A graceful stop, for a restart that loses no request: stops accepting (in a cluster worker
   * the primary sends new connections to the other workers), lets the requests in flight
   * finish (their responses carry `Connection: close`; HTTP/2 sessions get GOAWAY), gives an
   * idle connection one second for a request already on its way (answered with
   * `Connection: close`) before closing it, closes WebSockets (1001 Going Away, waiting for
   * their onClose), and resolves once all are closed.
   * Connections still open after `timeout` seconds are closed at once. Run it from
   * onShutdown (@tornado/ioloop) so that SIGTERM, and restartWorkers, use it.
   *
   * @param timeout seconds, default 30
   */
  async shutdown(timeout = 30): Promise<void> {
    checkPositive(timeout, "timeout", "seconds");
    this.stop();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeout * 1000);
    });
    // Between requests too, a keep-alive connection gets a second for the request its client
    // may be sending (closeAllConnections() below finds these connections already closing).
    for (const connection of this.#connections) connection.closeWhenIdle(true);
    const closed = this.closeAllConnections().then(() => false);
    if (await Promise.race([closed, expired])) {
      for (const connection of this.#connections) connection.close();
      for (const connection of this.#http2Connections) connection.close();
      await closed;
    }
    clearTimeout(timer);
  }

  /**
   * Hooks closeAllConnections() runs with the server and waits for: a package that takes
   * sockets over by upgrade (@tornado/websocket closes its WebSockets with 1001) adds one.
   */
  static readonly closeAllConnectionsHooks = new Set<(server: HTTPServer) => Promise<void>>();
}
