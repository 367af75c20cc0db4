/**
 * Runs a plain `callback(request)` as a message delegate: the body is gathered, then the
 * callback gets an HTTPServerRequest whose `connection` writes the response.
 * Tornado: httpserver._CallableAdapter (the legacy request_callback interface).
 */

import type { HTTPHeaders, RequestStartLine } from "@tornado/httputil";
import { appLog } from "@tornado/ioloop";
import type { HTTPConnection, HTTPMessageDelegate } from "./interfaces";
import { HTTPServerRequest } from "./http-server-request";

/** A request callback: answers through `request.connection` (writeHeaders, write, finish). */
export type RequestCallback = (request: HTTPServerRequest) => void | Promise<void>;

const EMPTY: Buffer = Buffer.alloc(0);

export class RequestCallbackAdapter implements HTTPMessageDelegate {
  #callback: RequestCallback;
  #connection: HTTPConnection & { close?(): void };
  #serverConnection: object;
  #startLine: RequestStartLine | null = null;
  #headers: HTTPHeaders | null = null;
  #body: Buffer | Buffer[] | null = null;

  constructor(callback: RequestCallback, connection: HTTPConnection, serverConnection: object) {
    this.#callback = callback;
    this.#connection = connection;
    this.#serverConnection = serverConnection;
  }

  headersReceived(startLine: RequestStartLine, headers: HTTPHeaders): void {
    this.#startLine = startLine;
    this.#headers = headers;
  }

  dataReceived(chunk: Buffer): void {
    const body = this.#body;
    if (body === null) this.#body = chunk;
    else if (Array.isArray(body)) body.push(chunk);
    else this.#body = [body, chunk];
  }

  finish(): void {
    const body = this.#body;
    const request = new HTTPServerRequest({
      startLine: this.#startLine!,
      headers: this.#headers!,
      body: body === null ? EMPTY : Array.isArray(body) ? Buffer.concat(body) : body,
      connection: this.#connection,
      serverConnection: this.#serverConnection,
    });
    this.#body = null;
    const result = this.#callback(request);
    if (result !== undefined && typeof (result as Promise<void>).then === "function") {
      (result as Promise<void>).catch((error: unknown) => {
        appLog.error(`Uncaught exception in request callback for ${request.method} ${request.uri}`, error);
        this.#connection.close?.();
      });
    }
  }

  onConnectionClose(): void {
    this.#body = null;
  }
}
