/**
 * The `res` a request listener behind NodeContainer answers through: a real
 * http.ServerResponse whose header store, status, validation and errors are node's own;
 * only the way out differs. Where node would render the head and write bytes to a socket,
 * this hands the status and headers, then each chunk as it is written, to the HTTP server's
 * HTTPConnection (which frames it: Content-Length, chunked, HTTP/2 DATA frames), and keeps
 * node's flow control: write() returns false over the high-water mark and 'drain' follows;
 * 'finish' once the last bytes are handed over, then 'close'.
 */

import * as http from "node:http";
import type { HTTPConnection } from "@tornado/httpserver";
import { HTTPHeaders, ResponseStartLine } from "@tornado/httputil";
import { NodeContainerError } from "../errors";
import type { ContainerRequest } from "./container-request";
import type { ContainerSocket } from "./container-socket";

type Callback = (error?: Error | null) => void;

// Public in node (getRawHeaderNames since 15.13; `_header`, the rendered head, is what
// finalhandler and morgan read) but missing from @types/node.
interface NodeResponseInternals {
  _header: string | null;
  getRawHeaderNames(): string[];
}

function bodyAllowed(method: string | undefined, status: number): boolean {
  return method !== "HEAD" && status !== 204 && status !== 304 && (status < 100 || status >= 200);
}

/** http.ServerResponse for one request served by NodeContainer. */
export class ContainerResponse extends http.ServerResponse {
  readonly #connection: HTTPConnection;
  readonly #onFinish: () => void;
  #headSent = false;
  #pendingBytes = 0;
  #needDrain = false;
  #finishEmitted = false;

  get #internals(): NodeResponseInternals {
    return this as unknown as NodeResponseInternals;
  }

  /**
   * @param onFinish called once the whole response is handed to the connection
   */
  constructor(request: ContainerRequest, socket: ContainerSocket, connection: HTTPConnection, onFinish: () => void) {
    super(request);
    this.#connection = connection;
    this.#onFinish = onFinish;
    // Gives the response its header store now, so that headers passed to writeHead() are
    // merged into it (node keeps them apart when setHeader was never called).
    this.setHeader("X-Container", "");
    this.removeHeader("X-Container");
    // node's own wiring: 'socket' is emitted, and the socket's 'close' closes the response.
    this.assignSocket(socket as never);
  }

  /** Bytes written but not yet taken by the connection (node: writableLength). */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  override write(chunk: unknown, encoding?: BufferEncoding | Callback, callback?: Callback): boolean {
    if (typeof encoding === "function") {
      callback = encoding;
      encoding = undefined;
    }
    // Bad chunks, a write after end() or after the client left: node's own errors and events.
    if ((typeof chunk !== "string" && !(chunk instanceof Uint8Array)) || this.finished || this.destroyed) {
      return super.write(chunk, encoding as BufferEncoding, callback as Callback);
    }
    const data = typeof chunk === "string" ? Buffer.from(chunk, encoding as BufferEncoding | undefined) : chunk;
    return this.#send(data, callback, false);
  }

  override end(chunk?: unknown, encoding?: BufferEncoding | Callback, callback?: Callback): this {
    if (typeof chunk === "function") {
      callback = chunk as Callback;
      chunk = undefined;
    } else if (typeof encoding === "function") {
      callback = encoding;
      encoding = undefined;
    }
    const hasChunk = chunk !== undefined && chunk !== null && chunk !== "";
    if (this.finished || (hasChunk && typeof chunk !== "string" && !(chunk instanceof Uint8Array))) {
      return super.end(chunk, encoding as BufferEncoding, callback as Callback);
    }
    if (this.destroyed) {
      // The client left: there is nothing to send to ('close' was emitted).
      this.finished = true;
      return this;
    }
    const data = !hasChunk ? null : typeof chunk === "string" ? Buffer.from(chunk, encoding as BufferEncoding | undefined) : (chunk as Uint8Array);
    if (!this.#internals._header && bodyAllowed(this.req.method, this.statusCode) && !this.hasHeader("Content-Length") && !this.hasHeader("Transfer-Encoding")) {
      // As node: a body given whole to end() goes out with its Content-Length.
      this.setHeader("Content-Length", data === null ? 0 : data.length);
    }
    if (callback !== undefined) this.once("finish", callback);
    this.finished = true;
    this.#send(data, null, true);
    return this;
  }

  override flushHeaders(): void {
    if (this.#headSent || this.finished || this.destroyed) return;
    this.#send(null, null, false);
  }

  // The HTTP server answers `Expect: 100-continue` itself when the body is first read.
  override writeContinue(callback?: () => void): void {
    if (callback !== undefined) process.nextTick(callback);
  }

  override writeProcessing(): void {
    throw new NodeContainerError("NodeContainer does not send 102 Processing");
  }

  override writeEarlyHints(): void {
    throw new NodeContainerError("NodeContainer does not send 103 Early Hints");
  }

  // Sends the head (once) and `data`; `last` ends the response.
  #send(data: Uint8Array | null, callback: Callback | null | undefined, last: boolean): boolean {
    if (!this.#internals._header) this.writeHead(this.statusCode);
    const method = this.req.method;
    if (data !== null && (data.length === 0 || !bodyAllowed(method, this.statusCode))) data = null;
    const connection = this.#connection;
    let written: Promise<void>;
    if (!this.#headSent) {
      this.#headSent = true;
      written = connection.writeHeaders(new ResponseStartLine("HTTP/1.1", this.statusCode, this.statusMessage), this.#headers(), data === null ? undefined : toBuffer(data));
    } else if (data !== null) {
      written = connection.write(toBuffer(data));
    } else {
      written = Promise.resolve();
    }
    if (last) connection.finish();
    const size = data === null ? 0 : data.length;
    this.#pendingBytes += size;
    (this.socket as ContainerSocket | null)?._active();
    written.then(
      () => this.#written(size, callback, last),
      (error: Error) => {
        // The client left (StreamClosedError): the container's close path emits 'close'.
        this.#pendingBytes -= size;
        callback?.(error);
      },
    );
    if (this.#pendingBytes < this.writableHighWaterMark) return true;
    this.#needDrain = true;
    return false;
  }

  #written(size: number, callback: Callback | null | undefined, last: boolean): void {
    this.#pendingBytes -= size;
    callback?.();
    if (last) {
      this.#finishEmitted = true;
      this.emit("prefinish");
      this.emit("finish");
      this.#onFinish();
      return;
    }
    if (this.#needDrain && this.#pendingBytes === 0 && !this.destroyed) {
      this.#needDrain = false;
      this.emit("drain");
    }
  }

  // The header store in the case the application wrote the names (Content-Type, not content-type).
  #headers(): HTTPHeaders {
    const headers = new HTTPHeaders();
    for (const name of this.#internals.getRawHeaderNames()) {
      const value = this.getHeader(name);
      if (Array.isArray(value)) for (const item of value) headers.add(name, String(item));
      else if (value !== undefined) headers.add(name, String(value));
    }
    return headers;
  }

  /** Whether 'finish' was emitted (node: writableFinished). */
  get finishEmitted(): boolean {
    return this.#finishEmitted;
  }

  /** Whether write() asked the caller to wait for 'drain' (node: writableNeedDrain). */
  get needDrain(): boolean {
    return this.#needDrain && !this.destroyed;
  }
}

// node declares these as data properties of Writable; on OutgoingMessage they are getters
// that read its socket, which carries no bytes here.
Object.defineProperties(ContainerResponse.prototype, {
  writableLength: {
    get(this: ContainerResponse) {
      return this.pendingBytes;
    },
  },
  writableNeedDrain: {
    get(this: ContainerResponse) {
      return this.needDrain;
    },
  },
  writableFinished: {
    get(this: ContainerResponse) {
      return this.finishEmitted;
    },
  },
});

function toBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
