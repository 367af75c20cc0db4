/**
 * HTTP1ServerConnection: serves HTTP/1.x requests on one stream, for code that accepts
 * connections itself (HTTPServer does this for you).
 * Tornado: http1connection.HTTP1ServerConnection.
 */

import * as net from "node:net";
import * as tls from "node:tls";
import { IOStream, SSLIOStream } from "@tornado/ioloop";
import { ArgumentTypeError } from "@tornado/util";
import { HTTP1Connection } from "./http1-connection";
import type { HTTPConnectionContext, HTTP1ConnectionParameters } from "./http1-connection-parameters";
import type { HTTPServerConnectionDelegate } from "./interfaces";

export class HTTP1ServerConnection {
  /** The connection doing the work (also each request's HTTPConnection). */
  readonly connection: HTTP1Connection;

  /**
   * @param stream an IOStream (the connection owns it from now on), or a connected socket, which
   *   is wrapped in one (an SSLIOStream for a tls.TLSSocket)
   * @param params Tornado's HTTP1ConnectionParameters
   * @param context peer address and protocol; derived from the socket when omitted
   */
  constructor(stream: IOStream | net.Socket, params: HTTP1ConnectionParameters = {}, context?: Partial<HTTPConnectionContext>) {
    let ioStream: IOStream;
    if (stream instanceof IOStream) {
      ioStream = stream;
    } else if (stream instanceof net.Socket) {
      ioStream = stream instanceof tls.TLSSocket ? new SSLIOStream(stream) : new IOStream(stream);
    } else {
      throw new ArgumentTypeError(`stream must be an IOStream or a net.Socket, got ${String(stream)}`);
    }
    const socket = ioStream.socket;
    const remote = socket.remoteAddress;
    this.connection = new HTTP1Connection(ioStream, params, {
      remoteIp: context?.remoteIp ?? (remote === undefined ? "0.0.0.0" : remote.replace(/^::ffff:(?=\d+\.)/, "")),
      protocol: context?.protocol ?? (ioStream instanceof SSLIOStream ? "https" : "http"),
      address: context?.address ?? (remote === undefined ? "" : [remote, socket.remotePort ?? 0]),
      trustedDownstream: context?.trustedDownstream,
    }, undefined);
  }

  /** Starts serving requests to `delegate`. Tornado: HTTP1ServerConnection.start_serving. */
  startServing(delegate: HTTPServerConnectionDelegate): void {
    this.connection.startServing(delegate);
  }

  /** Closes the connection; resolves once closed. Tornado: HTTP1ServerConnection.close. */
  close(): Promise<void> {
    this.connection.close();
    return this.connection.whenClosed();
  }
}
