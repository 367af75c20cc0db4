/**
 * The `res` a request listener behind NodeContainer answers through: a real
 * http.ServerResponse whose header store, status, validation and errors are node's own;
 * only the way out differs. Where node would render the head and write bytes to a socket,
 * ContainerOutput hands the status and headers, then each chunk as it is written, to the
 * HTTP server's HTTPConnection (which frames it: Content-Length, chunked, HTTP/2 DATA
 * frames), and keeps node's flow control: write() returns false over the high-water mark
 * and 'drain' follows; 'finish' once the last bytes are handed over.
 *
 * Its methods are own properties of the response, not a subclass: express and others
 * replace the prototype of `res` with their own (built on http.ServerResponse.prototype).
 */

import * as http from "node:http";
import type { HTTPConnection } from "@tornado/httpserver";
import { HTTPHeaders, ResponseStartLine } from "@tornado/httputil";
import { appLog } from "@tornado/ioloop";
import { NodeContainerError } from "../errors";
import type { ContainerSocket } from "./container-socket";

type Callback = (error?: Error | null) => void;

// Public in node (getRawHeaderNames since 15.13; `_header`, the rendered head, is what
// finalhandler and morgan read to tell whether headers went out) but not in @types/node.
interface ResponseInternals {
  _header: string | null;
  getRawHeaderNames(): string[];
}

const BASE = http.ServerResponse.prototype;

function bodyAllowed(method: string | undefined, status: number): boolean {
  return method !== "HEAD" && status !== 204 && status !== 304 && (status < 100 || status >= 200);
}

function isChunk(chunk: unknown): chunk is string | Uint8Array {
  return typeof chunk === "string" || chunk instanceof Uint8Array;
}

function toBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** The output side of one response: owns what was sent and what waits for the connection. */
export class ContainerOutput {
  readonly response: http.ServerResponse;
  readonly #internals: ResponseInternals;
  readonly #connection: HTTPConnection;
  readonly #onFinish: () => void;
  readonly #socket: ContainerSocket;
  #headSent = false;
  #needDrain = false;

  /**
   * @param onFinish called once the whole response is handed to the connection
   */
  constructor(request: http.IncomingMessage, socket: ContainerSocket, connection: HTTPConnection, onFinish: () => void) {
    const response = new http.ServerResponse(request);
    this.response = response;
    this.#internals = response as unknown as ResponseInternals;
    this.#connection = connection;
    this.#onFinish = onFinish;
    // Gives the response its header store now, so that headers passed to writeHead() are
    // merged into it (node keeps them apart when setHeader was never called).
    response.setHeader("X-Container", "");
    response.removeHeader("X-Container");
    this.#socket = socket;
    // Plain assignments (one hidden class for every response); node's writableLength and
    // writableFinished read the socket's writableLength, which counts the bytes waiting here.
    response.write = (chunk: unknown, encoding?: BufferEncoding | Callback, callback?: Callback) => this.write(chunk, encoding, callback);
    response.end = ((chunk?: unknown, encoding?: BufferEncoding | Callback, callback?: Callback) => this.end(chunk, encoding, callback)) as never;
    response.flushHeaders = () => this.flushHeaders();
    // The HTTP server answers `Expect: 100-continue` itself when the body is first read.
    response.writeContinue = (callback?: () => void) => void (callback !== undefined && process.nextTick(callback));
    response.writeProcessing = () => this.#refuse("102 Processing");
    response.writeEarlyHints = () => this.#refuse("103 Early Hints");
    Object.defineProperty(response, "writableNeedDrain", { configurable: true, get: () => this.#needDrain && !response.destroyed });
    // node's own wiring: 'socket' is emitted, and the socket's 'close' closes the response.
    response.assignSocket(socket as never);
  }

  /** Tornado's side of ServerResponse.write. */
  write(chunk: unknown, encoding?: BufferEncoding | Callback, callback?: Callback): boolean {
    const response = this.response;
    if (typeof encoding === "function") {
      callback = encoding;
      encoding = undefined;
    }
    // Bad chunks, a write after end() or after the client left: node's own errors and events.
    if (!isChunk(chunk) || response.finished || response.destroyed) {
      return BASE.write.call(response, chunk, encoding as BufferEncoding, callback as Callback);
    }
    const data = typeof chunk === "string" ? Buffer.from(chunk, encoding) : chunk;
    return this.#send(data, callback, false);
  }

  /** Tornado's side of ServerResponse.end. */
  end(chunk?: unknown, encoding?: BufferEncoding | Callback, callback?: Callback): http.ServerResponse {
    const response = this.response;
    if (typeof chunk === "function") {
      callback = chunk as Callback;
      chunk = undefined;
    } else if (typeof encoding === "function") {
      callback = encoding;
      encoding = undefined;
    }
    const hasChunk = chunk !== undefined && chunk !== null && chunk !== "";
    if (response.finished || (hasChunk && !isChunk(chunk))) {
      return BASE.end.call(response, chunk, encoding as BufferEncoding, callback as Callback) as http.ServerResponse;
    }
    if (response.destroyed) {
      // The client left: there is nothing to send to ('close' was emitted).
      response.finished = true;
      return response;
    }
    const data = !hasChunk ? null : typeof chunk === "string" ? Buffer.from(chunk, encoding as BufferEncoding | undefined) : (chunk as Uint8Array);
    if (!this.#internals._header && bodyAllowed(response.req.method, response.statusCode)) {
      // As node: a body given whole to end() goes out with its Content-Length.
      if (!response.hasHeader("Content-Length") && !response.hasHeader("Transfer-Encoding")) {
        response.setHeader("Content-Length", data === null ? 0 : data.length);
      }
    }
    if (callback !== undefined) response.once("finish", callback);
    response.finished = true;
    this.#send(data, null, true);
    return response;
  }

  /** Sends the status and headers now. */
  flushHeaders(): void {
    const response = this.response;
    if (this.#headSent || response.finished || response.destroyed) return;
    this.#send(null, null, false);
  }

  #refuse(what: string): never {
    throw new NodeContainerError(`NodeContainer does not send ${what}`);
  }

  // Sends the head (once) and `data`; `last` ends the response.
  #send(data: Uint8Array | null, callback: Callback | null | undefined, last: boolean): boolean {
    const response = this.response;
    // node's writeHead: status checks, reason, the headers it was given merged in.
    if (!this.#internals._header) response.writeHead(response.statusCode);
    if (data !== null && (data.length === 0 || !bodyAllowed(response.req.method, response.statusCode))) data = null;
    const connection = this.#connection;
    let written: Promise<void>;
    if (!this.#headSent) {
      this.#headSent = true;
      const startLine = new ResponseStartLine("HTTP/1.1", response.statusCode, response.statusMessage);
      written = connection.writeHeaders(startLine, this.#headers(), data === null ? undefined : toBuffer(data));
    } else if (data !== null) {
      written = connection.write(toBuffer(data));
    } else {
      written = Promise.resolve();
    }
    // Ends the response once this turn is over: a request whose body was already in is then
    // finished for the listener first (the server stops delivering a request's input once its
    // response is finished, as Tornado's HTTP1Connection does).
    if (last) queueMicrotask(() => this.#finishConnection());
    const size = data === null ? 0 : data.length;
    const socket = this.#socket;
    socket.queuedBytes += size;
    socket._active();
    written.then(
      () => this.#written(size, callback, last),
      (error: Error) => {
        // The client left (StreamClosedError): 'close' instead of 'finish', as node's server.
        socket.queuedBytes -= size;
        callback?.(error);
        if (last) socket.destroy();
      },
    );
    if (socket.queuedBytes < response.writableHighWaterMark) return true;
    this.#needDrain = true;
    return false;
  }

  #finishConnection(): void {
    try {
      this.#connection.finish();
    } catch (error) {
      // Fewer bytes than the Content-Length the listener set: the connection is closed.
      appLog.error("NodeContainer: response ended short of its Content-Length", error);
    }
  }

  #written(size: number, callback: Callback | null | undefined, last: boolean): void {
    const response = this.response;
    const socket = this.#socket;
    socket.queuedBytes -= size;
    callback?.();
    if (last) {
      response.emit("prefinish");
      response.emit("finish");
      this.#onFinish();
      return;
    }
    if (this.#needDrain && socket.queuedBytes === 0 && !response.destroyed) {
      this.#needDrain = false;
      response.emit("drain");
    }
  }

  // The header store, names in the case the application wrote them.
  #headers(): HTTPHeaders {
    const response = this.response;
    const headers = new HTTPHeaders();
    for (const name of this.#internals.getRawHeaderNames()) {
      const value = response.getHeader(name);
      if (Array.isArray(value)) for (const item of value) headers.add(name, String(item));
      else if (value !== undefined) headers.add(name, String(value));
    }
    return headers;
  }
}
