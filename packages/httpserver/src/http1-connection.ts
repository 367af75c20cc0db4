/**
 * HTTP1Connection: one HTTP/1.x server connection on an IOStream — it feeds the stream's bytes
 * to the HTTP1Parser, hands each request to an HTTPMessageDelegate, and writes the responses, in
 * request order (pipelining), with keep-alive, Expect: 100-continue, chunked output, idle and
 * head and body timeouts, and detach() for upgrades.
 *
 * Reading is IOStream.readChunks: each received packet is handed over as it arrives (a view, no
 * copy, no Promise) and the push parser runs over it; while a request is in the application the
 * delivery is paused (pauseChunks: the stream buffers, up to its high-water mark). The
 * responses a synchronous handler writes while a packet is parsed are gathered and leave in
 * one `stream.write` (a pipelined batch in one syscall).
 *
 * Tornado: http1connection.HTTP1Connection (server side) and HTTP1ConnectionParameters.
 */

import type * as net from "node:net";
import { appLog, genLog, StreamClosedError, type IOStream } from "@tornado/ioloop";
import { ArgumentRangeError, RESOLVED } from "@tornado/util";
import { HTTPInputError, HTTPOutputError, httpDate, responses, type HTTPHeaders, type RequestStartLine, type ResponseStartLine } from "@tornado/httputil";
import { HTTPRequestTimeoutError } from "./errors";
import { GzipMessageDelegate } from "./gzip-message-delegate";
import { HTTP1Parser, type HTTP1ParserHandler, type RequestFraming } from "./http1-parser";
import { ConnectionTimers } from "./connection-timers";
import { closedPromise, OutputBatch } from "./output-batch";
import type { HTTPConnection, HTTPMessageDelegate, HTTPServerConnectionDelegate } from "./interfaces";
import type { HTTP1ConnectionParameters, HTTPConnectionContext } from "./http1-connection-parameters";
import { frameResponse, statusLine, type ResponseFraming } from "./response-head";

const EMPTY: Buffer = Buffer.alloc(0);
const CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n";
const LINGER_MS = 2000;
/** Seconds from the first byte of a head to its end (node:http's headersTimeout). */
export const DEFAULT_HEADERS_TIMEOUT = 60;
/** Seconds to read one body (node:http's requestTimeout bounds the whole request by 300). */
export const DEFAULT_BODY_TIMEOUT = 300;
/** closeWhenIdle() on a connection whose next request may be on its way. */
const IDLE_GRACE_MS = 1000;

/**
 * One HTTP/1.x server connection (also the HTTPConnection handed to each request's delegate;
 * the same object serves every request on the stream, one at a time).
 */
export class HTTP1Connection implements HTTPConnection, HTTP1ParserHandler {
  /** The stream it reads and writes. Tornado: HTTP1Connection.stream. */
  readonly stream: IOStream;
  readonly context: HTTPConnectionContext;
  readonly params: Readonly<HTTP1ConnectionParameters>;
  #parser: HTTP1Parser;
  #writer: OutputBatch;
  #timers: ConnectionTimers | null = null; // made by startServing
  #serverDelegate: HTTPServerConnectionDelegate | null = null;
  #serverConnection: object;
  #delegate: HTTPMessageDelegate | null = null;

  // Per request.
  #requestStartLine: RequestStartLine | null = null;
  #requestHeaders: HTTPHeaders | null = null;
  #framing: RequestFraming | null = null;
  #readFinished = true;
  #responseStarted = false;
  #writeFinished = true;
  #chunkingOutput = false;
  #expectedRemaining = -1; // -1: no declared length
  #disconnectOnFinish = false;

  // Input flow.
  #paused = false;
  #lingering = false; // closing: input is read and dropped
  #pending: Buffer | null = null;
  #currentData: Buffer | null = null; // the packet being parsed
  #inExecute = false;
  #closed = false;
  #detached = false;
  #closing = false; // graceful close requested: finish the current request, then close
  #received = false; // any byte read yet
  #closeCallback: (() => void) | null = null;
  #onClosed: Array<() => void> = [];

  /**
   * @param stream the connection's IOStream (an SSLIOStream for HTTPS); this object owns it.
   * @param params Tornado's HTTP1ConnectionParameters
   * @param context peer address and protocol
   */
  constructor(stream: IOStream, params: HTTP1ConnectionParameters, context: HTTPConnectionContext, serverConnection?: object) {
    this.stream = stream;
    this.params = params;
    this.context = context;
    this.#serverConnection = serverConnection ?? this;
    this.#writer = new OutputBatch(stream);
    this.#parser = new HTTP1Parser(this, {
      maxHeaderSize: params.maxHeaderSize,
      maxBodySize: params.maxBodySize,
      chunkSize: params.chunkSize,
    });
  }

  /** The stream's socket (a TLSSocket for HTTPS). */
  get socket(): net.Socket {
    return this.stream.socket;
  }

  /** Starts reading requests and handing them to `delegate`. `buffered` bytes are parsed first. */
  startServing(delegate: HTTPServerConnectionDelegate, buffered: Buffer = EMPTY): void {
    this.#serverDelegate = delegate;
    const stream = this.stream;
    stream.setCloseCallback(this.#onClose);
    if (stream.closed()) return; // the close callback runs on the next turn
    this.#timers = new ConnectionTimers(stream.socket, this.params.headerTimeout ?? 3600, this.#onTimeout);
    stream.setNodelay(true);
    if (buffered.length > 0) {
      this.#received = true;
      this.#feed(buffered);
    }
    if (this.#closed || this.#detached) return;
    stream.readChunks(this.#onChunk);
    if (this.#paused) stream.pauseChunks();
  }

  // ------------------------------------------------------------------ input

  readonly #onChunk = (chunk: Buffer): void => {
    this.#received = true;
    this.#feed(chunk);
    // Paused by the parse (a request in the application, or responses backlogged).
    if (this.#paused) this.stream.pauseChunks();
  };

  #feed(data: Buffer): void {
    if (this.#parser.dead) return; // lingering close: input is dropped
    this.#inExecute = true;
    this.#writer.gathering = true;
    this.#currentData = data;
    try {
      const consumed = this.#parser.execute(data);
      if (consumed < data.length && !this.#parser.dead && !this.#detached) {
        this.#pending = data.subarray(consumed);
        this.#paused = true;
      }
      // A head that did not arrive whole: its time counts from this, its first packet.
      const timers = this.#timers;
      const headersTimeout = this.params.headersTimeout ?? DEFAULT_HEADERS_TIMEOUT;
      if (this.#parser.inHead && timers !== null && !timers.headRunning && headersTimeout > 0) {
        timers.startHead(headersTimeout, this.#onHeadTimeout);
      }
    } catch (error) {
      this.#inputError(error);
    } finally {
      this.#inExecute = false;
      this.#writer.gathering = false;
      this.#currentData = null;
      this.#writer.flush();
      if (this.#awaitDrain) this.#scheduleDrainResume();
    }
  }

  #resume(): void {
    if (!this.#paused || this.#inExecute || this.#closed || this.#detached) return;
    this.#paused = false;
    const data = this.#pending ?? EMPTY;
    this.#pending = null;
    // Even with no bytes: a completion left pending by the pause is delivered.
    this.#feed(data);
    if (!this.#paused && !this.#closed && !this.#detached) this.stream.resumeChunks();
  }

  #pause(): boolean {
    this.#paused = true;
    return true;
  }

  #inputError(error: unknown): void {
    this.#parser.kill();
    if (!(error instanceof HTTPInputError)) {
      appLog.error("Uncaught exception in HTTP connection", error);
      this.#abort();
      return;
    }
    genLog.info(`Malformed HTTP message from ${this.context.remoteIp}: ${error.message}`);
    this.#answerAndClose(error as HTTPInputError); // instanceof gives HTTPInputError<any>
  }

  // Answers the status of a refused request (when no response has started) and closes.
  #answerAndClose(error: HTTPInputError<string>): void {
    this.#parser.kill();
    const delegate = this.#delegate;
    this.#delegate = null;
    if (delegate !== null) this.#callDelegateClose(delegate);
    if (this.#responseStarted && !this.#writeFinished) {
      this.#abort();
      return;
    }
    const code = error.statusCode;
    void this.#writer.write(`HTTP/1.1 ${code} ${responses[code] ?? "Bad Request"}\r\n\r\n`);
    this.#lingeringClose();
  }

  // ------------------------------------------------------------------ parser events

  onHeaders(startLine: RequestStartLine, headers: HTTPHeaders, framing: RequestFraming): boolean {
    this.#timers?.clearHead();
    this.#requestStartLine = startLine;
    this.#requestHeaders = headers;
    this.#framing = framing;
    this.#readFinished = false;
    this.#responseStarted = false;
    this.#writeFinished = false;
    this.#chunkingOutput = false;
    this.#expectedRemaining = -1;
    this.#disconnectOnFinish = !framing.keepAlive || this.params.noKeepAlive === true || this.#closing;
    this.#parser.maxBodySize = this.params.maxBodySize ?? 104857600;
    let delegate: HTTPMessageDelegate;
    try {
      delegate = this.#serverDelegate!.startRequest(this.#serverConnection, this);
    } catch (error) {
      this.#applicationError(error);
      return true;
    }
    if (this.params.decompress && framing.bodyLength !== 0) {
      const encoding = headers.get("Content-Encoding");
      if (encoding !== undefined && encoding.toLowerCase() === "gzip") {
        delegate = new GzipMessageDelegate(delegate, {
          chunkSize: this.params.chunkSize ?? 65536,
          maxBodySize: () => this.#parser.maxBodySize,
          onError: (error) => this.#applicationError(error),
        });
      }
    }
    this.#delegate = delegate;
    const bodyTimeout = this.params.bodyTimeout ?? DEFAULT_BODY_TIMEOUT;
    if (framing.bodyLength !== 0 && bodyTimeout > 0) this.setBodyTimeout(bodyTimeout);
    let result: void | Promise<void>;
    try {
      result = delegate.headersReceived(startLine, headers);
    } catch (error) {
      this.#applicationError(error);
      return true;
    }
    if (result !== undefined && typeof (result as Promise<void>).then === "function") {
      this.#pause();
      (result as Promise<void>).then(
        () => {
          if (this.#closed || this.#detached) return;
          try {
            this.#afterHeaders();
          } catch (error) {
            this.#inputError(error);
            return;
          }
          this.#resume();
        },
        (error: unknown) => this.#applicationError(error),
      );
      return true;
    }
    this.#afterHeaders();
    return this.#paused || this.#detached || this.#closed;
  }

  #afterHeaders(): void {
    const framing = this.#framing!;
    // Over maxBodySize (as the delegate may just have set it): 413, and no 100 Continue.
    this.#parser.checkBodyLength();
    // RFC 9110 10.1.1: answer 100 only when the body is wanted and no final status was sent.
    if (framing.expectContinue && framing.bodyLength !== 0 && !this.#responseStarted && !this.#closed && !this.#detached) {
      void this.#writer.write(CONTINUE);
    }
  }

  onBody(chunk: Buffer): boolean {
    const delegate = this.#delegate;
    if (delegate === null || this.#writeFinished) return false;
    let result: void | Promise<void>;
    try {
      result = delegate.dataReceived(chunk);
    } catch (error) {
      this.#applicationError(error);
      return true;
    }
    if (result !== undefined && typeof (result as Promise<void>).then === "function") {
      this.#pause();
      (result as Promise<void>).then(
        () => this.#resume(),
        (error: unknown) => this.#applicationError(error),
      );
      return true;
    }
    return this.#detached || this.#closed;
  }

  onMessageComplete(): boolean {
    this.#timers?.clearBody();
    this.#readFinished = true;
    const delegate = this.#delegate;
    if (delegate !== null && !this.#writeFinished) {
      try {
        delegate.finish();
      } catch (error) {
        this.#applicationError(error);
        return true;
      }
    }
    if (this.#closed || this.#detached || this.#parser.dead) return true;
    if (this.#writeFinished) {
      this.#requestDone();
      if (this.#parser.dead) return true;
      if (this.#writer.backlogged) {
        // The peer is not reading its responses: stop parsing its requests until it does.
        this.#awaitDrain = true;
        return this.#pause();
      }
      return false;
    }
    return this.#pause();
  }

  #awaitDrain = false;

  // Resumes parsing once the stream has handed every response to the kernel.
  #scheduleDrainResume(): void {
    if (!this.#closed && !this.#detached) this.#writer.afterDrain(this.#afterDrain);
  }

  readonly #afterDrain = (): void => {
    this.#awaitDrain = false;
    this.#resume();
  };

  #applicationError(error: unknown): void {
    if (this.#closed || this.#detached) return;
    if (error instanceof HTTPInputError && !this.#responseStarted) {
      // A delegate refusing the input (bad gzip, body too large): answered like a parse error.
      this.#inputError(error);
      return;
    }
    appLog.error("Uncaught exception", error);
    this.#abort();
  }

  // ------------------------------------------------------------------ output (HTTPConnection)

  writeHeaders(startLine: ResponseStartLine, headers: HTTPHeaders, chunk?: Buffer | string): Promise<void> {
    if (this.#responseStarted) throw new HTTPOutputError("writeHeaders() called twice for one response");
    const request = this.#requestStartLine;
    if (request === null || this.#writeFinished) throw new HTTPOutputError("No request to answer");
    if (this.#closed || this.#detached) {
      // The peer is gone: the response is dropped (the Promise rejects with StreamClosedError).
      this.#responseStarted = true;
      return closedPromise();
    }
    if (this.#closing) this.#disconnectOnFinish = true;
    const code = startLine.code;
    const informational = code >= 100 && code < 200;
    let framing: ResponseFraming;
    try {
      framing = frameResponse(request, this.#framing?.keepAlive === true, code, headers, this.#disconnectOnFinish);
    } catch (error) {
      this.#abort();
      throw error;
    }
    this.#chunkingOutput = framing.chunked;
    this.#disconnectOnFinish = framing.disconnect;
    this.#expectedRemaining = framing.expectedLength;
    this.#responseStarted = !informational;
    // RFC 9110 6.6.1: an origin server with a clock sends Date (formatted once a second).
    const date = informational || headers.has("Date") ? "" : `Date: ${httpDate()}\r\n`;
    const head = statusLine(code, startLine.reason) + headers._render() + date + "\r\n";
    if (chunk === undefined || chunk.length === 0) return this.#writer.send(head);
    return this.#writeBody(head, typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  }

  write(chunk: Buffer | string): Promise<void> {
    if (this.#closed || this.#detached) return closedPromise();
    if (!this.#responseStarted) throw new HTTPOutputError("write() called before writeHeaders()");
    if (this.#writeFinished) throw new HTTPOutputError("write() called after finish()");
    const data = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    if (data.length === 0) return RESOLVED;
    return this.#writeBody("", data);
  }

  #writeBody(head: string, data: Buffer): Promise<void> {
    if (this.#requestStartLine?.method === "HEAD") {
      // A HEAD response has no body: what the application writes (the GET body) is dropped.
      return head.length > 0 ? this.#writer.send(head) : RESOLVED;
    }
    if (this.#expectedRemaining >= 0) {
      this.#expectedRemaining -= data.length;
      if (this.#expectedRemaining < 0) {
        this.#abort();
        throw new HTTPOutputError("Tried to write more data than Content-Length");
      }
    }
    if (this.#chunkingOutput) {
      return this.#writer.send(`${head}${data.length.toString(16)}\r\n`, data, "\r\n");
    }
    return this.#writer.send(head, data);
  }

  finish(): void {
    if (this.#closed || this.#detached) {
      this.#writeFinished = true;
      return;
    }
    if (!this.#responseStarted) throw new HTTPOutputError("finish() called before writeHeaders()");
    if (this.#writeFinished) return;
    if (this.#expectedRemaining > 0) {
      const missing = this.#expectedRemaining;
      this.#abort();
      throw new HTTPOutputError(`Tried to write ${missing} bytes less than Content-Length`);
    }
    this.#writeFinished = true;
    if (this.#chunkingOutput) void this.#writer.write("0\r\n\r\n");
    this.#chunkingOutput = false;
    if (!this.#readFinished && this.#framing !== null && this.#framing.bodyLength !== 0) {
      // The application answered before reading the whole body: it is not read, the connection closes.
      this.#disconnectOnFinish = true;
    }
    if (this.#disconnectOnFinish) {
      this.#finishDelegate();
      this.#lingeringClose();
      return;
    }
    if (this.#readFinished) {
      this.#requestDone();
      if (this.#inExecute) return;
      if (this.#writer.backlogged) this.#scheduleDrainResume();
      else this.#resume();
    }
  }

  // The request is read and answered: the connection is ready for the next one.
  #requestDone(): void {
    this.#finishDelegate();
    if (this.#closing) {
      this.#lingeringClose();
    }
  }

  #finishDelegate(): void {
    // As Tornado's per-request HTTP1Connection: a close callback belongs to one request.
    this.#closeCallback = null;
    this.#delegate = null;
    this.#requestStartLine = null;
    this.#requestHeaders = null;
  }

  // ------------------------------------------------------------------ control

  /** Overrides maxBodySize for the current request (bytes). Tornado: set_max_body_size. */
  setMaxBodySize(maxBodySize: number): void {
    if (!Number.isSafeInteger(maxBodySize) || maxBodySize < 0) {
      throw new ArgumentRangeError(`maxBodySize must be a non-negative integer of bytes, got ${maxBodySize}`);
    }
    this.#parser.maxBodySize = maxBodySize;
  }

  /** Sets the time allowed to read the current body (seconds). Tornado: set_body_timeout. */
  setBodyTimeout(timeoutSeconds: number): void {
    if (!(timeoutSeconds > 0) || !Number.isFinite(timeoutSeconds)) {
      throw new ArgumentRangeError(`bodyTimeout must be a positive number of seconds, got ${timeoutSeconds}`);
    }
    this.#timers?.clearBody();
    if (this.#readFinished) return;
    this.#timers?.startBody(timeoutSeconds, () => this.#requestTimeout("body"));
  }

  setCloseCallback(callback: (() => void) | null): void {
    this.#closeCallback = callback;
  }

  /** The request being served (for delegates that need it). */
  get requestStartLine(): RequestStartLine | null {
    return this.#requestStartLine;
  }

  /** The current request's headers. */
  get requestHeaders(): HTTPHeaders | null {
    return this.#requestHeaders;
  }

  /**
   * Hands the socket over (for an upgrade): reading, timers and keep-alive stop; returns the
   * socket and the bytes already read past the current request. Tornado: HTTP1Connection.detach.
   */
  detach(): { socket: net.Socket; buffered: Buffer } {
    if (this.#closed) throw new StreamClosedError();
    if (this.#detached) throw new HTTPOutputError("connection already detached");
    this.#detached = true;
    // Bytes of the packet being parsed that follow the current position, the rest of a paused
    // packet, then what the stream received after it.
    const current = this.#currentData;
    const pieces = [current === null ? EMPTY : current.subarray(this.#parser.position), this.#pending ?? EMPTY];
    this.#pending = null;
    this.#parser.kill();
    this.#timers?.stop();
    const stream = this.stream;
    // Responses written while this packet was parsed (a 101) go out before the hand-over.
    this.#writer.flush();
    stream.setCloseCallback(null);
    const { socket, buffered } = stream.detach();
    pieces.push(buffered);
    const rest = pieces.filter((piece) => piece.length > 0);
    this.#delegate = null;
    this.#runClosedHooks();
    return { socket, buffered: rest.length === 0 ? EMPTY : rest.length === 1 ? rest[0]! : Buffer.concat(rest) };
  }

  /**
   * Closes now (in-flight requests see onConnectionClose). Tornado: HTTP1Connection.close.
   */
  close(): void {
    this.#abort();
  }

  /**
   * Closes when idle: now if no request is in flight, else after the current response
   * (keep-alive stops); a connection that has sent nothing yet gets 1 s for its first request,
   * and with `graceful` (HTTPServer.shutdown) so does one between requests. A request that
   * starts in that second is answered, with `Connection: close`.
   * For HTTPServer.closeAllConnections() and shutdown().
   */
  closeWhenIdle(graceful = false): void {
    if (this.#closed || this.#detached || this.#closing) return;
    this.#closing = true;
    if (this.#delegate !== null) return;
    // Nothing in flight, but a request may be on its way: a fresh connection is often handed
    // over before its request arrives, and a keep-alive client sends its next one at any
    // moment. Closing then would reset the connection under that request (ECONNRESET at the
    // client, request lost), so it waits; closeAllConnections() keeps Tornado's immediate
    // close for connections between requests.
    if (this.#received && !graceful) return this.#abort();
    const timer = setTimeout(() => this.#delegate === null && this.#abort(), IDLE_GRACE_MS).unref();
    this.#onClosed.push(() => clearTimeout(timer));
  }

  /** True once the socket is closed or detached. */
  get closed(): boolean {
    return this.#closed || this.#detached;
  }

  /** Resolves when the connection is closed or detached. */
  whenClosed(): Promise<void> {
    if (this.#closed || this.#detached) return RESOLVED;
    return new Promise((resolve) => this.#onClosed.push(resolve));
  }

  #abort(): void {
    this.#parser.kill();
    this.#timers?.clearRequest();
    this.stream.close();
    this.#onClose();
  }

  // Sends what is queued, then FIN; input is read and dropped until the peer closes (or the
  // linger time passes), so that an unread request does not turn our FIN into an RST that
  // would destroy the response at the client. IOStream has no half-close (Tornado's neither):
  // the FIN is the socket's end(), queued behind the response.
  #lingeringClose(): void {
    if (this.#lingering) return;
    this.#lingering = true;
    this.#parser.kill();
    this.#timers?.clearRequest();
    this.#pending = null;
    this.#paused = false;
    const stream = this.stream;
    this.#writer.flush();
    if (!stream.closed()) stream.socket.end();
    this.#timers?.startLinger(LINGER_MS, () => stream.close());
    if (!stream.closed()) stream.resumeChunks();
  }

  readonly #onHeadTimeout = (): void => this.#requestTimeout("request head");

  // headersTimeout or bodyTimeout: 408 and close (as node:http), or a plain close when the
  // response has started.
  #requestTimeout(what: string): void {
    if (this.#closed || this.#detached || this.#lingering) return;
    genLog.info(`Timeout reading ${what} from ${this.context.remoteIp}`);
    this.#answerAndClose(new HTTPRequestTimeoutError(`Timeout reading ${what}`));
  }

  readonly #onTimeout = (): void => {
    // Idle between requests, or silent in a head: close without an answer, as Tornado does.
    if (this.#delegate === null && !this.#parser.inBody) {
      genLog.debug(`Idle connection timeout from ${this.context.remoteIp}`);
      this.#abort();
    }
  };

  // The stream's close callback (socket errors, TLS "SSL Error" lines included, are the
  // stream's to log), or called directly by #abort.
  readonly #onClose = (): void => {
    if (this.#closed || this.#detached) return;
    this.#closed = true;
    this.#parser.kill();
    this.#timers?.stop();
    this.#pending = null;
    const delegate = this.#delegate;
    this.#delegate = null;
    if (delegate !== null && !this.#writeFinished) this.#callDelegateClose(delegate);
    const callback = this.#closeCallback;
    this.#closeCallback = null;
    if (callback !== null) {
      try {
        callback();
      } catch (error) {
        appLog.error("Exception in close callback", error);
      }
    }
    this.#runClosedHooks();
  };

  #callDelegateClose(delegate: HTTPMessageDelegate): void {
    try {
      delegate.onConnectionClose();
    } catch (error) {
      appLog.error("Exception in onConnectionClose", error);
    }
  }

  #runClosedHooks(): void {
    const serverDelegate = this.#serverDelegate;
    if (serverDelegate !== null && serverDelegate.onClose) {
      try {
        serverDelegate.onClose(this.#serverConnection);
      } catch (error) {
        appLog.error("Exception in onClose", error);
      }
    }
    this.#serverDelegate = null;
    const hooks = this.#onClosed;
    this.#onClosed = [];
    for (const hook of hooks) hook();
  }
}

