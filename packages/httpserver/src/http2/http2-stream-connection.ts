/**
 * HTTP2StreamConnection: one HTTP/2 stream (one request and its response) behind Tornado's
 * HTTPConnection interface, so that an HTTPServer delegate (an Application) serves it as it
 * serves an HTTP/1 request. The frames, HPACK and flow control are node:http2's (nghttp2);
 * this maps the stream's head onto an HTTPMessageDelegate (its body through a
 * StreamBodyReader) and the delegate's answer onto the stream (a StreamResponseWriter), with
 * HTTP1Connection's limits applied per stream.
 *
 * Not in Tornado (it has no HTTP/2); tornado_http2's `Stream` has the same role.
 */

import * as http2 from "node:http2";
import type * as net from "node:net";
import { appLog, genLog } from "@tornado/ioloop";
import { ArgumentRangeError, isThenable, RESOLVED } from "@tornado/util";
import { HTTPInputError, HTTPOutputError, type HTTPHeaders, type ResponseStartLine } from "@tornado/httputil";
import { HTTP2UnsupportedError, HTTPBodyTooLargeError } from "../errors";
import { GzipMessageDelegate } from "../gzip-message-delegate";
import type { HTTPConnectionContext, HTTP1ConnectionParameters } from "../http1-connection-parameters";
import type { HTTPConnection, HTTPMessageDelegate, HTTPServerConnectionDelegate } from "../interfaces";
import { closedPromise } from "../output-batch";
import { CONNECT_REQUEST, readRequestHead } from "./request-head";
import type { OpenStreamLinks } from "./open-streams";
import { StreamBodyReader } from "./stream-body-reader";
import { StreamResponseWriter } from "./stream-response-writer";

const { NGHTTP2_CANCEL, NGHTTP2_INTERNAL_ERROR, NGHTTP2_NO_ERROR } = http2.constants;

// A reset by the peer with an error code, a failed write, or its session destroyed: the stream
// closes next. The listener holds the peer's address only, not the connection (see #onClose).
function streamErrorLogger(remoteIp: string): (error: Error) => void {
  return (error) => genLog.debug(`HTTP/2 stream error from ${remoteIp}: ${error.message}`);
}

/** What a stream needs from the connection (session) that carries it. */
export interface HTTP2StreamOwner {
  readonly params: Readonly<HTTP1ConnectionParameters>;
  /** The object handed to startRequest as `serverConnection`. */
  readonly serverConnection: object;
  readonly serverDelegate: HTTPServerConnectionDelegate;
  /** The stream has closed. */
  streamClosed(connection: HTTP2StreamConnection): void;
}

/**
 * The HTTPConnection of one HTTP/2 request. Request bodies are delivered in slices of at most
 * chunkSize bytes, and a Promise returned by the delegate pauses the stream (its receive
 * window then closes: the client stops sending). Writes resolve at once while the stream's
 * buffer is under its high-water mark, else when it drains.
 */
export class HTTP2StreamConnection implements HTTPConnection, OpenStreamLinks<HTTP2StreamConnection> {
  /** The node:http2 stream. */
  readonly stream: http2.ServerHttp2Stream;
  /** Peer address and protocol; each stream has its own copy (xheaders may change it). */
  readonly context: HTTPConnectionContext;
  readonly #owner: HTTP2StreamOwner;
  #delegate: HTTPMessageDelegate | null = null;
  #method = "";
  #maxBodySize: number;
  #declaredLength = -1;
  #expectContinue = false;
  #reader: StreamBodyReader | null = null;
  #readFinished = false;
  #responseStarted = false;
  #writeFinished = false;
  #writer: StreamResponseWriter | null = null;
  #bodyTimer: NodeJS.Timeout | null = null;
  #closed = false;
  #closeCallback: (() => void) | null = null;
  /** @internal its neighbours among its connection's open streams (see open-streams.ts) */
  openPrevious: HTTP2StreamConnection | null = null;
  /** @internal */
  openNext: HTTP2StreamConnection | null = null;

  constructor(owner: HTTP2StreamOwner, stream: http2.ServerHttp2Stream, context: HTTPConnectionContext) {
    this.#owner = owner;
    this.stream = stream;
    this.context = context;
    this.#maxBodySize = owner.params.maxBodySize ?? 104857600;
    stream.on("close", this.#onClose);
    stream.on("error", streamErrorLogger(context.remoteIp));
  }

  /** The session's socket (node's guarded proxy of it: for getPeerCertificate and addresses). */
  get socket(): net.Socket | undefined {
    return this.stream.session?.socket as net.Socket | undefined;
  }

  /** True once the stream is closed (reset, or both sides ended) or its session destroyed. */
  get closed(): boolean {
    return this.#closed || this.stream.destroyed || this.stream.closed;
  }

  /**
   * Starts the request from the HEADERS field list (`[name, value, ...]`).
   * @internal called by HTTP2ServerConnection
   */
  start(rawHeaders: readonly string[]): void {
    let head: ReturnType<typeof readRequestHead>;
    try {
      head = readRequestHead(rawHeaders, this.#owner.params.maxHeaderSize ?? 65536);
    } catch (error) {
      this.#readFinished = this.stream.endAfterHeaders;
      this.#inputError(error);
      return;
    }
    this.#readFinished = this.stream.endAfterHeaders;
    if (head === CONNECT_REQUEST) {
      // A tunnel (RFC 9113 8.5): nothing here proxies, and it has no path to route.
      genLog.info(`CONNECT refused from ${this.context.remoteIp}: this server is not a proxy`);
      this.#respondStatus(405);
      return;
    }
    const { startLine, headers } = head;
    this.#method = startLine.method;
    this.#declaredLength = head.contentLength;
    this.#expectContinue = head.expectContinue;
    const owner = this.#owner;
    let delegate: HTTPMessageDelegate;
    try {
      delegate = owner.serverDelegate.startRequest(owner.serverConnection, this);
    } catch (error) {
      this.#applicationError(error);
      return;
    }
    const params = owner.params;
    if (params.decompress && !this.#readFinished) {
      const encoding = headers.get("Content-Encoding");
      if (encoding !== undefined && encoding.toLowerCase() === "gzip") {
        delegate = new GzipMessageDelegate(delegate, {
          chunkSize: params.chunkSize ?? 65536,
          maxBodySize: () => this.#maxBodySize,
          onError: (error) => this.#applicationError(error),
        });
      }
    }
    this.#delegate = delegate;
    if (!this.#readFinished && params.bodyTimeout !== undefined) this.setBodyTimeout(params.bodyTimeout);
    let result: void | Promise<void>;
    try {
      result = delegate.headersReceived(startLine, headers);
    } catch (error) {
      this.#applicationError(error);
      return;
    }
    if (isThenable(result)) {
      result.then(
        () => {
          try {
            this.#afterHeaders(delegate);
          } catch (error) {
            this.#applicationError(error);
          }
        },
        (error: unknown) => this.#applicationError(error),
      );
      return;
    }
    this.#afterHeaders(delegate);
  }

  #afterHeaders(delegate: HTTPMessageDelegate): void {
    if (this.#delegate !== delegate) return; // closed or answered meanwhile
    if (this.#readFinished) {
      this.#finishRead(delegate);
      return;
    }
    if (this.#declaredLength > this.#maxBodySize) {
      this.#inputError(new HTTPBodyTooLargeError("Content-Length too long"));
      return;
    }
    // RFC 9110 10.1.1: 100 only when the body is wanted and no final status was sent.
    if (this.#expectContinue && !this.#responseStarted && !this.stream.closed) this.stream.additionalHeaders({ ":status": 100 });
    const options = { chunkSize: this.#owner.params.chunkSize ?? 65536, maxBodySize: this.#maxBodySize };
    this.#reader = new StreamBodyReader(this.stream, delegate, options, {
      bodyTooLarge: () => this.#inputError(new HTTPBodyTooLargeError("Body too large")),
      bodyFailed: (error) => this.#applicationError(error),
      bodyEnded: () => {
        if (this.#delegate === delegate) this.#finishRead(delegate);
      },
    });
  }

  // ------------------------------------------------------------------ input

  #finishRead(delegate: HTTPMessageDelegate): void {
    this.#readFinished = true;
    this.#clearBodyTimer();
    if (this.#writeFinished) {
      this.#requestDone();
      return;
    }
    try {
      delegate.finish();
    } catch (error) {
      this.#applicationError(error);
      return;
    }
    if (this.#writeFinished) this.#requestDone();
  }

  #inputError(error: unknown): void {
    if (!(error instanceof HTTPInputError)) {
      this.#applicationError(error);
      return;
    }
    genLog.info(`Malformed HTTP/2 request from ${this.context.remoteIp}: ${error.message}`);
    this.#dropDelegate(true);
    if (this.#responseStarted) {
      // Too late for a status: the stream is reset.
      this.#reset(NGHTTP2_CANCEL);
      return;
    }
    this.#respondStatus(error.statusCode);
  }

  // Answers `code` with no body and ends the stream; an upload still running is stopped.
  #respondStatus(code: number): void {
    this.#responseStarted = true;
    this.#writeFinished = true;
    if (this.#closed) return;
    const stream = this.stream;
    try {
      stream.respond({ ":status": code }, { endStream: true });
    } catch {
      this.#reset(NGHTTP2_CANCEL);
      return;
    }
    this.#stopUpload();
  }

  // RFC 9113 8.1: after a complete response, RST_STREAM(NO_ERROR) tells the client to stop
  // sending the request body (node sends it once the response is flushed).
  #stopUpload(): void {
    if (!this.#readFinished && !this.#closed) this.stream.close(NGHTTP2_NO_ERROR);
  }

  #applicationError(error: unknown): void {
    if (this.#closed) return;
    if (error instanceof HTTPInputError && !this.#responseStarted) {
      // A delegate refusing the input (bad gzip, a body over its limit): answered like bad input.
      this.#inputError(error);
      return;
    }
    appLog.error("Uncaught exception", error);
    this.#reset(NGHTTP2_INTERNAL_ERROR);
  }

  // ------------------------------------------------------------------ output (HTTPConnection)

  writeHeaders(startLine: ResponseStartLine, headers: HTTPHeaders, chunk?: Buffer | string): Promise<void> {
    if (this.#responseStarted) throw new HTTPOutputError("writeHeaders() called twice for one response");
    if (this.#method === "" || this.#writeFinished) throw new HTTPOutputError("No request to answer");
    const code = startLine.code;
    // Reset by the peer, or destroyed with its session: node emits 'close' a tick later.
    if (this.closed) {
      if (code >= 200) this.#responseStarted = true;
      return closedPromise();
    }
    const writer = (this.#writer ??= new StreamResponseWriter(this.stream, this.#method === "HEAD"));
    if (code >= 100 && code < 200) {
      writer.informational(code, headers);
      return RESOLVED;
    }
    this.#responseStarted = true;
    return writer.head(code, headers, chunk);
  }

  write(chunk: Buffer | string): Promise<void> {
    if (this.#closed || this.stream.destroyed) return closedPromise();
    if (!this.#responseStarted) throw new HTTPOutputError("write() called before writeHeaders()");
    if (this.#writeFinished) throw new HTTPOutputError("write() called after finish()");
    if (chunk.length === 0) return RESOLVED;
    return this.#writer!.body(chunk);
  }

  finish(): void {
    if (this.closed) {
      this.#writeFinished = true;
      return;
    }
    if (!this.#responseStarted) throw new HTTPOutputError("finish() called before writeHeaders()");
    if (this.#writeFinished) return;
    this.#writer!.end();
    this.#writeFinished = true;
    if (this.#readFinished) {
      this.#requestDone();
      return;
    }
    // Answered before the body was read: the rest is not wanted (nor delivered).
    const delegate = this.#delegate;
    this.#requestDone();
    if (delegate !== null && this.#reader !== null) this.#stopUpload();
  }

  // The request is read and answered: nothing more goes to the delegate.
  #requestDone(): void {
    this.#dropDelegate(false);
    this.#closeCallback = null;
    this.#clearBodyTimer();
  }

  // Nothing more goes to the delegate; with `notify`, it hears onConnectionClose.
  #dropDelegate(notify: boolean): void {
    const delegate = this.#delegate;
    this.#delegate = null;
    this.#reader?.stop();
    if (delegate === null || !notify) return;
    try {
      delegate.onConnectionClose();
    } catch (error) {
      appLog.error("Exception in onConnectionClose", error);
    }
  }

  // ------------------------------------------------------------------ control

  /** Overrides maxBodySize for this request (bytes). Tornado: set_max_body_size. */
  setMaxBodySize(maxBodySize: number): void {
    if (!Number.isSafeInteger(maxBodySize) || maxBodySize < 0) {
      throw new ArgumentRangeError(`maxBodySize must be a non-negative integer of bytes, got ${maxBodySize}`);
    }
    this.#maxBodySize = maxBodySize;
    if (this.#reader !== null) this.#reader.maxBodySize = maxBodySize;
  }

  /** Sets the time allowed to read this body (seconds). Tornado: set_body_timeout. */
  setBodyTimeout(timeoutSeconds: number): void {
    if (!(timeoutSeconds > 0) || !Number.isFinite(timeoutSeconds)) {
      throw new ArgumentRangeError(`bodyTimeout must be a positive number of seconds, got ${timeoutSeconds}`);
    }
    this.#clearBodyTimer();
    if (this.#readFinished || this.#closed) return;
    this.#bodyTimer = setTimeout(() => {
      this.#bodyTimer = null;
      genLog.info(`Timeout reading body from ${this.context.remoteIp}`);
      this.#dropDelegate(true);
      this.#reset(NGHTTP2_CANCEL);
    }, timeoutSeconds * 1000);
    this.#bodyTimer.unref();
  }

  #clearBodyTimer(): void {
    if (this.#bodyTimer !== null) {
      clearTimeout(this.#bodyTimer);
      this.#bodyTimer = null;
    }
  }

  setCloseCallback(callback: (() => void) | null): void {
    this.#closeCallback = callback;
  }

  /**
   * Not possible on HTTP/2: the connection carries other streams, so there is no socket to
   * hand over (an Upgrade, a WebSocket). Throws HTTP2UnsupportedError.
   */
  detach(): { socket: net.Socket; buffered: Buffer } {
    throw new HTTP2UnsupportedError(
      "detach() is not possible on an HTTP/2 stream: the connection carries other streams (Upgrade and WebSocket need HTTP/1.1)",
    );
  }

  /** Resets the stream (RST_STREAM CANCEL); the delegate sees onConnectionClose. */
  close(): void {
    this.#reset(NGHTTP2_CANCEL);
  }

  #reset(code: number): void {
    if (!this.#closed && !this.stream.closed) this.stream.close(code);
  }

  readonly #onClose = (): void => {
    if (this.#closed) return;
    this.#closed = true;
    // node's closed stream objects outlive young-generation collections (node's own bookkeeping
    // still points at them) and are promoted; without this listener, this connection and what
    // hangs from it are not promoted with them but die young.
    this.stream.removeListener("close", this.#onClose);
    this.#clearBodyTimer();
    this.#writer?.closed();
    this.#dropDelegate(!this.#writeFinished);
    const callback = this.#closeCallback;
    this.#closeCallback = null;
    if (callback !== null) {
      try {
        callback();
      } catch (error) {
        appLog.error("Exception in close callback", error);
      }
    }
    this.#owner.streamClosed(this);
  };

}
