/**
 * Tornado: web.FallbackHandler.
 */

import type { HTTPMessageDelegate, HTTPServerConnectionDelegate, HTTPServerRequest } from "@tornado/httpserver";
import { RequestStartLine } from "@tornado/httputil";
import { ArgumentTypeError, describeValue } from "@tornado/util";
import { isConnectionDelegate } from "../routing/router";
import { CallableAdapter } from "../routing/routing-delegate";
import { RequestHandler } from "./request-handler";

/**
 * What FallbackHandler hands a request to: a function called with the complete request (body
 * read and parsed), which answers through `request.connection` (Tornado's callable), or an
 * HTTPServerConnectionDelegate — a NodeContainer, another Application — that receives the
 * request as it arrives, body streamed.
 */
export type Fallback = ((request: HTTPServerRequest) => unknown) | HTTPServerConnectionDelegate;

/**
 * Passes every request of its route to another server: a NodeContainer around an express
 * or node:http app, another Application, or a function of the request. The body streams
 * through to a delegate as it arrives. Init argument: `{ fallback }`. The handler's own
 * checks still run first (SUPPORTED_METHODS, the XSRF check, prepare of a subclass);
 * routing straight to the NodeContainer skips them. Tornado: web.FallbackHandler.
 *
 * @example
 * new Application([["/", MainHandler], [".*", FallbackHandler, { fallback: new NodeContainer(expressApp) }]]);
 */
export class FallbackHandler extends RequestHandler {
  static override streamRequestBody = true;

  /** The server the requests go to. Tornado: FallbackHandler.fallback. */
  fallback!: Fallback;
  #delegate: HTTPMessageDelegate | null = null;

  override initialize(options: { fallback: Fallback }): void {
    const fallback = options?.fallback;
    if (typeof fallback !== "function" && !isConnectionDelegate(fallback)) {
      throw new ArgumentTypeError(
        `FallbackHandler needs { fallback }: a function of the request or an HTTPServerConnectionDelegate, got ${describeValue(fallback)}`,
      );
    }
    this.fallback = fallback;
    // The fallback writes the response; the handler never finishes it.
    this._autoFinish = false;
  }

  /** Starts the request in the fallback, once the headers are in. */
  override prepare(): void | Promise<void> {
    const request = this.request;
    const fallback = this.fallback;
    let delegate: HTTPMessageDelegate;
    if (typeof fallback === "function") delegate = new CallableAdapter(fallback, request);
    else delegate = fallback.startRequest(request.serverConnection ?? {}, request.connection!);
    this.#delegate = delegate;
    return delegate.headersReceived(new RequestStartLine(request.method, request.uri, request.version), request.headers);
  }

  override dataReceived(chunk: Buffer): void | Promise<void> {
    return this.#delegate!.dataReceived(chunk);
  }

  override onConnectionClose(): void {
    super.onConnectionClose();
    this.#delegate?.onConnectionClose();
  }

  // The body is complete: the fallback takes it from here. Tornado: _finished = True; on_finish().
  #handOver(): void {
    this.#delegate!.finish();
    this.onFinish();
  }

  override get(): void {
    this.#handOver();
  }
  override head(): void {
    this.#handOver();
  }
  override post(): void {
    this.#handOver();
  }
  override delete(): void {
    this.#handOver();
  }
  override patch(): void {
    this.#handOver();
  }
  override put(): void {
    this.#handOver();
  }
  override options(): void {
    this.#handOver();
  }
}
