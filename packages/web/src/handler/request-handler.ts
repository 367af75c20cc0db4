/**
 * RequestHandler: the entry points a subclass defines, the order of the steps of a request,
 * and the response. It holds its per-request state in small objects: the response being built
 * (output/response-buffer.ts) and a streamed body (execution.ts); its base, HandlerContext
 * (handler-context.ts), holds the cookie jar and the UI modules and has the input, cookie and
 * template methods. The rules behind the steps sit beside it: execution.ts, error-pages.ts,
 * current-user.ts. Tornado: web.RequestHandler.
 */

import type { HTTPConnection, HTTPServerRequest } from "@tornado/httpserver";
import type { HTTPHeaders } from "@tornado/httputil";
import { appLog, StreamClosedError } from "@tornado/ioloop";
import { isThenable } from "@tornado/util";
import type { Application } from "../application";
import { HTTPError, NotImplementedError, ResponseStateError } from "../errors";
import { checkEtagHeaders } from "../output/etag";
import { headerValueText, redirectStatus, type HeaderValue } from "../output/header-values";
import type { OutputTransform } from "../output/output-transform";
import { ResponseBuffer, type WriteChunk } from "../output/response-buffer";
import type { PathArgument } from "../routing/matcher";
import { prepareWithCurrentUser } from "./current-user";
import * as errorPages from "./error-pages";
import type { ErrorDetails } from "./error-pages";
import * as execution from "./execution";
import { HandlerContext } from "./handler-context";

const STAGE_PREPARE = 0;
const STAGE_BODY = 1;
const STAGE_METHOD = 2;

/** Constructor type of RequestHandler subclasses. */
export type RequestHandlerClass<Handler extends RequestHandler = RequestHandler> = (new (
  application: Application,
  request: HTTPServerRequest,
) => Handler) & { SUPPORTED_METHODS: readonly string[]; streamRequestBody?: boolean };

/**
 * Subclass it and define `get`, `post`... (sync or async). Path groups arrive as the
 * method's arguments: unnamed groups positionally (`get(id)`), named groups as one object
 * (`get({ id })`, Tornado's **kwargs). `PathArgs` types them for the methods it does not
 * override (`RequestHandler<[id: string]>`); a route's pattern is checked against the
 * methods either way (see routing/route-types.ts). Tornado: web.RequestHandler.
 *
 * @example
 * class MainHandler extends RequestHandler {
 *   get() { this.write("Hello, world"); }
 * }
 */
export class RequestHandler<PathArgs extends unknown[] = unknown[]> extends HandlerContext {
  /** Methods this handler answers; any other gets 405. Tornado: SUPPORTED_METHODS. */
  static SUPPORTED_METHODS: readonly string[] = ["GET", "HEAD", "POST", "DELETE", "PATCH", "PUT", "OPTIONS"];
  /** True: prepare() once the headers are in, dataReceived(chunk) per chunk, then the method (see `@streamRequestBody`). */
  static streamRequestBody = false;

  /** Decoded unnamed path groups (null for an optional group that did not match). */
  pathArgs: (string | null)[] = [];
  /** Decoded named path groups. Tornado: path_kwargs. */
  pathKwargs: Record<string, string | null> = {};
  /** When false, the method returning does not finish the response (websocket, detach). */
  protected _autoFinish = true;

  readonly #response: ResponseBuffer;
  #body: execution.StreamedBody | null = null;
  #preparedResolve: (() => void) | null = null;
  #closeCallbackSet = false;
  #namedGroups = false;

  /** Do not override: use initialize(). Tornado: RequestHandler.__init__. */
  constructor(application: Application, request: HTTPServerRequest) {
    super(application, request);
    this.#response = new ResponseBuffer(request);
    this.clear();
  }

  // ---------------------------------------------------------------- entry points

  /** Receives the rule's init arguments (an array is spread). Tornado: initialize(**kwargs). */
  initialize(..._args: never[]): void {}
  /** Runs before the method; may be async; calling finish() here skips the method. */
  prepare(): void | Promise<void> {}
  /** Runs after the response is sent; must not write. Tornado: on_finish. */
  onFinish(): void {}
  /** The client left before the response finished; a streamed body fails with StreamClosedError. Tornado: on_connection_close. */
  onConnectionClose(): void {
    if (this.#body !== null && !this.#body.done) this.#body.reject(new StreamClosedError());
  }
  /** A chunk of a streamed body (see streamRequestBody); may return a Promise for flow control. */
  dataReceived(_chunk: Buffer): void | Promise<void> {
    throw new NotImplementedError(`${this.constructor.name} has streamRequestBody set but does not define dataReceived`);
  }
  /** Headers every response starts with; runs in clear(), so also on the error path. */
  setDefaultHeaders(): void {}

  /** The HTTP methods: 405 unless the subclass defines them (sync or async). Tornado: RequestHandler.get and the others. */
  get(..._args: PathArgs): unknown {
    throw new HTTPError(405);
  }
  head(..._args: PathArgs): unknown {
    throw new HTTPError(405);
  }
  post(..._args: PathArgs): unknown {
    throw new HTTPError(405);
  }
  delete(..._args: PathArgs): unknown {
    throw new HTTPError(405);
  }
  patch(..._args: PathArgs): unknown {
    throw new HTTPError(405);
  }
  put(..._args: PathArgs): unknown {
    throw new HTTPError(405);
  }
  options(..._args: PathArgs): unknown {
    throw new HTTPError(405);
  }

  // ---------------------------------------------------------------- the steps of a request

  /** Called by the application right after construction: close callback, initialize(). @internal */
  _start(initArgs: unknown, streaming: boolean): Promise<void> | null {
    if (streaming) this.#body = new execution.StreamedBody();
    // Only handlers that care pay for the close callback (the default does nothing unless streaming).
    if (streaming || this.onConnectionClose !== RequestHandler.prototype.onConnectionClose) {
      const connection = this.request.connection;
      if (connection !== undefined) {
        connection.setCloseCallback(() => this.onConnectionClose());
        this.#closeCallbackSet = true;
      }
    }
    execution.callInitialize(this as { initialize(...args: unknown[]): void }, initArgs);
    if (!streaming) return null;
    return new Promise<void>((resolve) => (this.#preparedResolve = resolve));
  }

  /** The streamed body is complete. @internal */
  _bodyFinished(): void {
    this.#body?.resolve();
  }

  /** An error thrown by dataReceived: answered as a handler error. @internal */
  _failFromBody(error: unknown): void {
    this.#fail(error);
  }

  /**
   * 405 for an unsupported method, body arguments, path groups, the XSRF check, prepare()
   * (after an async getCurrentUser), the streamed body, the method, finish(); every error
   * becomes a response. Synchronous until something returns a Promise. @internal
   */
  _execute(transforms: OutputTransform[] | null, pathArgs: PathArgument[], pathKwargs: Record<string, PathArgument> | undefined): void {
    this.#response.transforms = transforms;
    try {
      const method = this.request.method;
      if (!(this.constructor as RequestHandlerClass).SUPPORTED_METHODS.includes(method)) throw new HTTPError(405);
      const parseBody = this.#body === null && execution.hasMethod(this, method, RequestHandler.prototype);
      if (parseBody) execution.parseBodyArguments(this.request);
      this.#decodePathArguments(pathArgs, pathKwargs);
      if (this.settings.xsrfCookies && method !== "GET" && method !== "HEAD" && method !== "OPTIONS") this.checkXsrfCookie();
      const prepared = prepareWithCurrentUser(this);
      if (isThenable(prepared)) return void this.#executeAsync(prepared, STAGE_PREPARE);
      this.#resolvePrepared();
      if (this.#response.finished) return;
      if (this.#body !== null) return void this.#executeAsync(this.#body.promise, STAGE_BODY);
      const result = this.#callMethod();
      if (isThenable(result)) return void this.#executeAsync(result, STAGE_METHOD);
      if (this._autoFinish && !this.#response.finished) void this.finish();
    } catch (error) {
      this.#fail(error);
      this.#resolvePrepared();
    }
  }

  // The same steps once one of them returned a Promise, from `stage` on.
  async #executeAsync(pending: unknown, stage: number): Promise<void> {
    try {
      if (stage === STAGE_PREPARE) {
        await pending;
        this.#resolvePrepared();
        if (this.#response.finished) return;
        if (this.#body === null) {
          pending = this.#callMethod();
        } else {
          pending = this.#body.promise;
          stage = STAGE_BODY;
        }
      }
      if (stage === STAGE_BODY) {
        try {
          await pending;
        } catch (error) {
          if (error instanceof StreamClosedError) return;
          throw error;
        }
        if (this.#response.finished) return; // dataReceived failed and answered
        pending = this.#callMethod();
      }
      if (isThenable(pending)) await pending;
      if (this._autoFinish && !this.#response.finished) void this.finish();
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#resolvePrepared();
    }
  }

  #callMethod(): unknown {
    return execution.callMethod(this, this.request.method, this.pathArgs, this.#namedGroups ? this.pathKwargs : null);
  }

  #resolvePrepared(): void {
    const resolve = this.#preparedResolve;
    this.#preparedResolve = null;
    resolve?.();
  }

  #decodePathArguments(pathArgs: PathArgument[], pathKwargs: Record<string, PathArgument> | undefined): void {
    const decode = this.decodeArgument === RequestHandler.prototype.decodeArgument ? null : this.decodeArgument.bind(this);
    if (pathArgs.length > 0) this.pathArgs = execution.decodePathArgs(pathArgs, decode);
    const decoded = pathKwargs === undefined ? null : execution.decodePathKwargs(pathKwargs, decode);
    if (decoded !== null) {
      this.#namedGroups = true;
      this.pathKwargs = decoded;
    }
  }

  #fail(error: unknown): void {
    try {
      this._handleRequestException(error);
    } catch (inner) {
      appLog.error("Exception in exception handler", inner);
    }
  }

  /** Turns an exception into a response. Tornado: _handle_request_exception. @internal */
  _handleRequestException(error: unknown): void {
    errorPages.handleRequestException(this, error);
  }

  /** HTTPError with a message: warning on `tornado.general`; else error with the request. Tornado: log_exception. */
  logException(error: unknown): void {
    errorPages.logException(this, error);
  }

  // ---------------------------------------------------------------- output (output/response-buffer.ts)

  /** Resets headers (then setDefaultHeaders()), buffer and status (200). Tornado: clear. */
  clear(): void {
    this.#response.reset();
    this.setDefaultHeaders();
  }
  /** Sets status and reason (default: the standard phrase; unknown or unsafe: "Unknown"). Tornado: set_status. */
  setStatus(statusCode: number, reason?: string | null): void {
    this.#response.setStatus(statusCode, reason);
  }
  /** Tornado: get_status. */
  getStatus(): number {
    return this.#response.status;
  }
  /** The response headers so far (read-only use). */
  get responseHeaders(): HTTPHeaders {
    return this.#response.headers;
  }
  /** Replaces a header (numbers, Dates, latin-1 Buffers); control characters: UnsafeHeaderValueError. Tornado: set_header. */
  setHeader(name: string, value: HeaderValue): void {
    this.#response.headers.set(name, headerValueText(value));
  }
  /** Adds a value to a (multi-valued) header. Tornado: add_header. */
  addHeader(name: string, value: HeaderValue): void {
    this.#response.headers.add(name, headerValueText(value));
  }
  /** Removes a header; a missing name is fine. Tornado: clear_header. */
  clearHeader(name: string): void {
    this.#response.headers.delete(name);
  }
  /**
   * Buffers output: text (UTF-8), bytes, or a plain object sent as JSON (the `jsonSerializer`
   * setting). Arrays are refused (JSON hijacking), as Tornado refuses lists. Tornado: write.
   */
  write(chunk: WriteChunk): void {
    this.#response.write(chunk, this.application.settings.jsonSerializer);
  }
  /** Whether the headers went out. */
  get headersWritten(): boolean {
    return this.#response.headersWritten;
  }
  /** Whether finish() ran. */
  get finished(): boolean {
    return this.#response.finished;
  }
  /** Sends the buffered output (headers first); resolves when the socket took it: await it for backpressure. Tornado: flush. */
  flush(): Promise<void> {
    return this.#flush(false);
  }

  #flush(finishing: boolean): Promise<void> {
    const response = this.#response;
    if (response.headersWritten) return response.sendBody(finishing);
    this._completeHeaders(response.startHead(finishing));
    return response.sendHead();
  }

  /**
   * Ends the response: ETag and 304 for a 200 GET/HEAD, Content-Length when the body is
   * known, flush, log, onFinish(). Resolves when the data is sent. Tornado: finish.
   */
  finish(chunk?: WriteChunk | null): Promise<void> {
    const response = this.#response;
    if (response.finished) throw new ResponseStateError("finish() called twice");
    if (chunk !== undefined && chunk !== null) this.write(chunk);
    if (!response.headersWritten) {
      const method = this.request.method;
      if (response.status === 200 && (method === "GET" || method === "HEAD") && !response.headers.has("Etag")) {
        this.#setDefaultEtag();
        if (this.checkEtagHeader()) {
          response.discardBody();
          this.setStatus(304);
        }
      }
      response.setFinalHeaders();
    }
    const connection = response.connection();
    if (this.#closeCallbackSet) {
      connection.setCloseCallback(null);
      this.#closeCallbackSet = false;
    }
    const promise = this.#flush(true);
    // A client that left has nothing to finish (the flush promise carries StreamClosedError).
    if (!(connection as { closed?: boolean }).closed) {
      try {
        connection.finish();
      } catch (error) {
        response.finished = true;
        throw error;
      }
    }
    (this.request as { _markFinished?: () => void })._markFinished?.();
    this.application.logRequest(this);
    response.finished = true;
    try {
      this.onFinish();
    } catch (error) {
      appLog.error("Uncaught exception in onFinish", error);
    }
    return promise;
  }

  /** Clears, sets the status (reason from details or the HTTPError), finishes with writeError's page. Tornado: send_error. */
  sendError(statusCode = 500, details: ErrorDetails = {}): void {
    errorPages.sendError(this, statusCode, details);
  }
  /** The error page; override for your own. Default: small HTML, the stack with `serveTraceback`. Tornado: write_error. */
  writeError(statusCode: number, details: ErrorDetails): void {
    errorPages.writeDefaultError(this, statusCode, details, this.#response.reason);
  }
  /** Redirects with 302, 301 when permanent, or `status` (300-399). Tornado: redirect. */
  redirect(url: string, permanent = false, status?: number): Promise<void> {
    if (this.#response.headersWritten) throw new ResponseStateError("Cannot redirect after headers have been written");
    this.setStatus(redirectStatus(permanent, status));
    this.setHeader("Location", url);
    return this.finish();
  }
  /** Takes the socket over (HTTP/1): the response counts as finished. Tornado: detach. */
  detach(): ReturnType<HTTPConnection["detach"]> {
    this.#response.finished = true;
    this._autoFinish = false;
    return this.#response.connection().detach();
  }

  /** The response's ETag: `"<sha1 of the body>"`; return null to disable. Tornado: compute_etag. */
  computeEtag(): string | null {
    return this.#response.etag();
  }

  #setDefaultEtag(): void {
    if (this.computeEtag !== RequestHandler.prototype.computeEtag || this.setEtagHeader !== RequestHandler.prototype.setEtagHeader) {
      this.setEtagHeader();
      return;
    }
    // The default ETag is a quoted hex digest, always a valid value: no checks needed.
    this.#response.headers._addTrusted("Etag", this.#response.etag());
  }
  /** Sets Etag from computeEtag(), unless it is null. Tornado: set_etag_header. */
  setEtagHeader(): void {
    const etag = this.computeEtag();
    if (etag !== null) this.setHeader("Etag", etag);
  }
  /** Whether the request's If-None-Match matches the response's Etag. Tornado: check_etag_header. */
  checkEtagHeader(): boolean {
    return checkEtagHeaders(this.request.headers, this.#response.headers);
  }

  /** Renders a template (see renderString), adds the UI modules' resources, and finishes with it. Tornado: render. */
  render(templateName: string, kwargs: Record<string, unknown> = {}): Promise<void> {
    if (this.#response.finished) throw new ResponseStateError("Cannot render() after finish()");
    return this.finish(this._renderPage(templateName, kwargs));
  }
}
