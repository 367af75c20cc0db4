/**
 * NodeContainer: serves a plain Node request listener — an express, koa or node:http app —
 * behind a route of an Application, as Tornado's WSGIContainer serves a WSGI app. The
 * listener gets a real http.IncomingMessage and http.ServerResponse built from the request
 * our HTTP server parsed; the body streams into `req` as it arrives (reading from the
 * client pauses while `req` is full), and what the listener writes streams out.
 * Tornado: wsgi.WSGIContainer.
 */

import type * as http from "node:http";
import type * as net from "node:net";
import type { HTTPConnection, HTTPMessageDelegate, HTTPServerConnectionDelegate } from "@tornado/httpserver";
import type { HTTPHeaders, RequestStartLine } from "@tornado/httputil";
import { appLog, StreamClosedError } from "@tornado/ioloop";
import { checkCallback, isThenable } from "@tornado/util";
import { logAccess } from "../application";
import { createContainerRequest } from "./container-request";
import { ContainerOutput } from "./container-response";
import { ContainerSocket } from "./container-socket";

/** A Node request listener: what `http.createServer(listener)` takes (express(), koa's app.callback()). */
export type NodeRequestListener = (request: http.IncomingMessage, response: http.ServerResponse) => unknown;

const ERROR_PAGE = "<html><title>500: Internal Server Error</title><body>500: Internal Server Error</body></html>";

interface ConnectionParts {
  context?: { remoteIp?: string; address?: string | [string, number] };
  socket?: net.Socket;
}

/**
 * Wraps a Node request listener as an HTTPServerConnectionDelegate: a rule target of an
 * Application or RuleRouter (`["/legacy/.*", new NodeContainer(expressApp)]`), the `fallback`
 * of a FallbackHandler, or an HTTPServer's delegate. Each response is logged on
 * `tornado.access` as the Application logs its own. An error the listener throws (or the
 * Promise it returns rejects with) is logged and answered 500, or closes the connection once
 * the headers went out. Tornado: wsgi.WSGIContainer.
 *
 * @example
 * const legacy = new NodeContainer(express().get("/legacy/hi", (req, res) => res.send("hi")));
 * const app = new Application([["/", MainHandler], ["/legacy/.*", legacy]]);
 */
export class NodeContainer implements HTTPServerConnectionDelegate {
  readonly listener: NodeRequestListener;

  constructor(listener: NodeRequestListener) {
    checkCallback(listener, "listener");
    this.listener = listener;
  }

  startRequest(_serverConnection: object, requestConnection: HTTPConnection): HTTPMessageDelegate {
    return new NodeContainerDelegate(this.listener, requestConnection);
  }
}

/** One request through the listener. */
class NodeContainerDelegate implements HTTPMessageDelegate {
  #request: http.IncomingMessage | null = null;
  #response: http.ServerResponse | null = null;
  #socket: ContainerSocket | null = null;
  #resumeReading: (() => void) | null = null;
  #startTime = 0;
  #summary = "";
  #done = false; // the response finished, or the client left

  constructor(
    readonly listener: NodeRequestListener,
    readonly connection: HTTPConnection,
  ) {}

  headersReceived(startLine: RequestStartLine, headers: HTTPHeaders): void {
    this.#startTime = performance.now();
    const connection = this.connection;
    const parts = connection as ConnectionParts;
    this.#summary = `${startLine.method} ${startLine.path} (${parts.context?.remoteIp ?? ""})`;
    const socket = new ContainerSocket({ socket: parts.socket, address: parts.context?.address, onDestroy: this.#onSocketDestroyed });
    const request = createContainerRequest(socket, startLine, headers, this.#onRead);
    const response = new ContainerOutput(request, socket, connection, this.#onFinish).response;
    this.#socket = socket;
    this.#request = request;
    this.#response = response;
    socket.on("timeout", this.#onTimeout);
    connection.setCloseCallback(this.#onClose);
    let result: unknown;
    try {
      result = this.listener(request, response);
    } catch (error) {
      this.#fail(error);
      return;
    }
    if (isThenable(result)) result.then(undefined, (error: unknown) => this.#fail(error));
  }

  dataReceived(chunk: Buffer): void | Promise<void> {
    const request = this.#request!;
    if (this.#done || request.destroyed) return;
    this.#socket!._active();
    if (request.push(chunk)) return;
    // `req` is full: stop reading from the client until the listener reads on (node pauses its socket).
    return new Promise((resolve) => (this.#resumeReading = resolve));
  }

  finish(): void {
    const request = this.#request!;
    if (request.destroyed || request.complete) return;
    request.complete = true;
    request.push(null);
  }

  onConnectionClose(): void {
    this.#onClose();
  }

  readonly #onRead = (): void => {
    const resume = this.#resumeReading;
    this.#resumeReading = null;
    resume?.();
  };

  // The connection drops this request's close callback itself once it is read and answered
  // (clearing it here could clear the next pipelined request's).
  readonly #onFinish = (): void => {
    this.#done = true;
    const request = this.#request!;
    const response = this.#response!;
    logAccess(response.statusCode, this.#summary, (performance.now() - this.#startTime) / 1000);
    // As node's server: a body nobody read is dropped, the socket leaves the response, and
    // 'close' follows 'finish'. A body still on its way is not read any more (HTTP/1 closes
    // the connection, HTTP/2 resets the stream): req is aborted, as node's when its socket closes.
    this.#onRead();
    if (!request.complete) request.destroy(new StreamClosedError());
    else if (!request.readableDidRead && !request.readableEnded) {
      request.removeAllListeners("data");
      request.resume();
    }
    response.detachSocket(this.#socket as never);
    process.nextTick(() => {
      if (response.destroyed) return;
      response.destroyed = true;
      response.emit("close");
    });
  };

  // The client left before the response finished: 'aborted' and 'close' on req, 'close' on
  // the socket and res, as node's server emits them.
  readonly #onClose = (): void => {
    if (this.#done || this.#request === null) return;
    if (this.#response!.writableEnded) {
      // The listener ended the response: whether it got out decides 'finish' or 'close'
      // (ContainerOutput); an unread body ends here (HTTP/2 resets it).
      if (!this.#request.complete) this.#request.destroy(new StreamClosedError());
      return;
    }
    this.#done = true;
    this.#onRead();
    this.#request.destroy(new StreamClosedError());
    this.#socket!.destroy();
  };

  // The listener destroyed the socket or the response: the connection closes (HTTP/1) or the
  // stream is reset (HTTP/2), so the client sees the response cut short.
  readonly #onSocketDestroyed = (): void => {
    if (this.#done) return;
    this.#done = true;
    this.connection.setCloseCallback(null);
    this.#onRead();
    this.#request?.destroy(new StreamClosedError());
    this.connection.close?.();
  };

  // node:http's answer to a socket timeout: the listeners of req and res get it, else the
  // connection is closed.
  readonly #onTimeout = (): void => {
    const request = this.#request!;
    const requestHeard = !request.complete && request.emit("timeout", this.#socket);
    const responseHeard = this.#response!.emit("timeout", this.#socket);
    if (!requestHeard && !responseHeard) this.#socket!.destroy();
  };

  #fail(error: unknown): void {
    appLog.error(`Uncaught exception in request listener ${this.#summary}`, error);
    const response = this.#response!;
    // A response already ended stays as it is; one half-sent is cut short, visibly.
    if (this.#done || response.writableEnded) return;
    if (response.headersSent) {
      response.destroy();
      return;
    }
    for (const name of response.getHeaderNames()) response.removeHeader(name);
    response.statusCode = 500;
    response.statusMessage = "Internal Server Error";
    response.setHeader("Content-Type", "text/html; charset=UTF-8");
    response.end(ERROR_PAGE);
  }
}
