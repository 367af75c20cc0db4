/**
 * HTTP1ServerConnection: serves HTTP/1.x requests on one stream, for code that accepts
 * connections itself (HTTPServer does this for you).
 * Tornado: http1connection.HTTP1ServerConnection.
 */

import * as net from "node:net";
import type { IOStream } from "@tornado/ioloop";
import { HTTP1Connection } from "./http1-connection";
import type { HTTPConnectionContext, HTTP1ConnectionParameters } from "./http1-connection-parameters";
import type { HTTPServerConnectionDelegate } from "./interfaces";

export class HTTP1ServerConnection {
  /** The connection doing the work (also each request's HTTPConnection). */
  readonly connection: HTTP1Connection;
  #buffered: Buffer;

  /**
   * @param stream an IOStream (detached here: the connection reads its socket directly) or a socket
   * @param params Tornado's HTTP1ConnectionParameters
   * @param context peer address and protocol; derived from the socket when omitted
   */
  constructor(stream: IOStream | net.Socket, params: HTTP1ConnectionParameters = {}, context?: Partial<HTTPConnectionContext>) {
    let socket: net.Socket;
    if (stream instanceof net.Socket) {
      socket = stream;
      this.#buffered = Buffer.alloc(0);
    } else if (stream !== null && typeof stream === "object" && typeof (stream as IOStream).detach === "function") {
      const detached = (stream as IOStream).detach();
      socket = detached.socket;
      this.#buffered = detached.buffered;
    } else {
      throw new TypeError(`stream must be an IOStream or a net.Socket, got ${String(stream)}`);
    }
    const remote = socket.remoteAddress;
    this.connection = new HTTP1Connection(socket, params, {
      remoteIp: context?.remoteIp ?? (remote === undefined ? "0.0.0.0" : remote.replace(/^::ffff:(?=\d+\.)/, "")),
      protocol: context?.protocol ?? ((socket as { encrypted?: boolean }).encrypted ? "https" : "http"),
      address: context?.address ?? (remote === undefined ? "" : [remote, socket.remotePort ?? 0]),
      trustedDownstream: context?.trustedDownstream,
    }, undefined);
  }

  /** Starts serving requests to `delegate`. Tornado: HTTP1ServerConnection.start_serving. */
  startServing(delegate: HTTPServerConnectionDelegate): void {
    this.connection.startServing(delegate, this.#buffered);
    this.#buffered = Buffer.alloc(0);
  }

  /** Closes the connection; resolves once closed. Tornado: HTTP1ServerConnection.close. */
  close(): Promise<void> {
    this.connection.close();
    return this.connection.whenClosed();
  }
}
