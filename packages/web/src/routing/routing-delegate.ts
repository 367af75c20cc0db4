/**
 * The per-request delegate a Router hands to the HTTP server: it builds the request once the
 * headers are in, asks the router for the real delegate and forwards everything to it.
 * Tornado: routing._RoutingDelegate, _DefaultMessageDelegate, _CallableAdapter.
 */

import { HTTPHeaders, ResponseStartLine, type RequestStartLine } from "@tornado/httputil";
import { HTTPServerRequest, type HTTPConnection, type HTTPMessageDelegate } from "@tornado/httpserver";
import { appLog } from "@tornado/ioloop";
import { parseRequestBody } from "../input/request-body";

/** The part of Router this delegate needs (kept structural to avoid an import cycle). */
interface FindsHandlers {
  findHandler(request: HTTPServerRequest): HTTPMessageDelegate | null;
}

/** Builds the HTTPServerRequest for a start line and headers. */
export function createServerRequest(
  connection: HTTPConnection,
  serverConnection: object,
  startLine: RequestStartLine,
  headers: HTTPHeaders,
): HTTPServerRequest {
  const context = (connection as { context?: { remoteIp?: string; protocol?: string } }).context;
  return new HTTPServerRequest({
    connection,
    serverConnection,
    startLine,
    headers,
    remoteIp: context?.remoteIp,
    protocol: context?.protocol,
  });
}

/** Tornado: routing._RoutingDelegate. */
export class RoutingDelegate implements HTTPMessageDelegate {
  #delegate: HTTPMessageDelegate | null = null;

  constructor(
    readonly router: FindsHandlers,
    readonly serverConnection: object,
    readonly requestConnection: HTTPConnection,
  ) {}

  headersReceived(startLine: RequestStartLine, headers: HTTPHeaders): void | Promise<void> {
    const request = createServerRequest(this.requestConnection, this.serverConnection, startLine, headers);
    let delegate = this.router.findHandler(request);
    if (delegate === null) {
      appLog.debug(`Delegate for ${startLine.method} ${startLine.path} request not found`);
      delegate = new DefaultMessageDelegate(this.requestConnection);
    }
    this.#delegate = delegate;
    return delegate.headersReceived(startLine, headers);
  }

  dataReceived(chunk: Buffer): void | Promise<void> {
    return (this.#delegate as HTTPMessageDelegate).dataReceived(chunk);
  }

  finish(): void {
    (this.#delegate as HTTPMessageDelegate).finish();
  }

  onConnectionClose(): void {
    this.#delegate?.onConnectionClose();
  }
}

/** Answers 404 with an empty body. Tornado: routing._DefaultMessageDelegate. */
export class DefaultMessageDelegate implements HTTPMessageDelegate {
  constructor(readonly connection: HTTPConnection) {}

  headersReceived(): void {}

  dataReceived(): void {}

  finish(): void {
    this.connection.writeHeaders(new ResponseStartLine("HTTP/1.1", 404, "Not Found"), new HTTPHeaders()).catch(() => {});
    this.connection.finish();
  }

  onConnectionClose(): void {}
}

/**
 * Calls a plain function with the complete request (body read and parsed); the function
 * answers through `request.connection`. Tornado: routing._CallableAdapter.
 */
export class CallableAdapter implements HTTPMessageDelegate {
  #chunks: Buffer[] | null = [];

  constructor(
    readonly callback: (request: HTTPServerRequest) => unknown,
    readonly request: HTTPServerRequest,
  ) {}

  headersReceived(): void {}

  dataReceived(chunk: Buffer): void {
    this.#chunks?.push(chunk);
  }

  finish(): void {
    const chunks = this.#chunks ?? [];
    this.request.body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    try {
      parseRequestBody(this.request);
      const result = this.callback(this.request);
      if (result instanceof Promise) result.catch((error) => appLog.error("Uncaught exception in request callback", error));
    } catch (error) {
      appLog.error("Uncaught exception in request callback", error);
    }
  }

  onConnectionClose(): void {
    this.#chunks = null;
  }
}
