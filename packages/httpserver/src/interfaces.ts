/**
 * The seams between the HTTP/1 connection and the application, as Tornado's delegate
 * interfaces: the server asks an HTTPServerConnectionDelegate for one HTTPMessageDelegate per
 * request, feeds it the request, and the delegate answers through the HTTPConnection.
 * Tornado: httputil.HTTPServerConnectionDelegate, HTTPMessageDelegate, HTTPConnection.
 */

import type * as net from "node:net";
import type { HTTPHeaders, RequestStartLine, ResponseStartLine } from "@tornado/httputil";

/** Writes one response. Tornado: httputil.HTTPConnection. */
export interface HTTPConnection {
  /**
   * Writes the status line and headers, and optionally the first body chunk, in one socket
   * write. Resolves when the bytes are handed to the kernel (or buffered under the high-water
   * mark). A chunked response is used when no Content-Length is set on an HTTP/1.1 request.
   */
  writeHeaders(startLine: ResponseStartLine, headers: HTTPHeaders, chunk?: Buffer | string): Promise<void>;
  /** Writes a body chunk. */
  write(chunk: Buffer | string): Promise<void>;
  /** Ends the response. Throws HTTPOutputError when fewer bytes than Content-Length were written. */
  finish(): void;
  /**
   * Takes the socket away from HTTP (for an Upgrade): returns it with any bytes read past this
   * request's header block; keep-alive and timers stop.
   */
  detach(): { socket: net.Socket; buffered: Buffer };
  /** Called once when the connection closes (pass null to remove). */
  setCloseCallback(callback: (() => void) | null): void;
  /** Overrides maxBodySize for the current request (bytes). */
  setMaxBodySize?(maxBodySize: number): void;
  /** Overrides bodyTimeout for the current request (seconds). */
  setBodyTimeout?(timeoutSeconds: number): void;
}

/** Receives one request. Tornado: httputil.HTTPMessageDelegate. */
export interface HTTPMessageDelegate {
  /** The start line and headers are in; returning a Promise pauses reading until it settles. */
  headersReceived(startLine: RequestStartLine, headers: HTTPHeaders): void | Promise<void>;
  /** A body chunk (at most chunkSize bytes); returning a Promise pauses reading (flow control). */
  dataReceived(chunk: Buffer): void | Promise<void>;
  /** The whole request has been read. */
  finish(): void;
  /** The connection closed before finish(). */
  onConnectionClose(): void;
}

/** Creates a message delegate per request. Tornado: httputil.HTTPServerConnectionDelegate. */
export interface HTTPServerConnectionDelegate {
  startRequest(serverConnection: object, requestConnection: HTTPConnection): HTTPMessageDelegate;
  onClose?(serverConnection: object): void;
}
