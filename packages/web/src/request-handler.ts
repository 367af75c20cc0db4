/**
 * The base class of every HTTP handler. Tornado: web.RequestHandler.
 *
 * RequestHandler holds the per-request state (private fields) and the order of the steps;
 * the logic behind its methods lives beside it: handler-execution.ts (initialize, body,
 * path groups, method call), handler-output.ts (status, header values, write buffer,
 * framing headers), etag.ts, handler-errors.ts (exceptions and error pages),
 * handler-templates.ts, handler-cookies.ts (cookies, signed cookies, XSRF), static-url.ts,
 * request-arguments.ts.
 */

import { HTTPHeaders, ResponseStartLine, httpDate } from "@tornado/httputil";
import type { HTTPConnection, HTTPServerRequest } from "@tornado/httpserver";
import { appLog, StreamClosedError } from "@tornado/ioloop";
import { isThenable } from "@tornado/util";
import type { Application, ApplicationSettings } from "./application";
import { HTTPError, MissingSettingError, ResponseStateError } from "./errors";
import { checkEtagHeaders, sha1Etag } from "./etag";
import { Locale } from "./locale";
import type { PathArgument } from "./matcher";
import type { OutputTransform } from "./output-transform";
import {
  acceptLanguageCodes,
  argumentValues,
  decodeUtf8Argument,
  lastArgument,
  parseJsonBody,
  type ArgumentDecoder,
} from "./request-arguments";
import { staticUrl as staticUrlOf } from "./static-url";
import { SERVER_HEADER } from "./version";
import * as cookies from "./handler-cookies";
import type { GetSignedCookieOptions, SetSignedCookieOptions } from "./handler-cookies";
import * as handlerErrors from "./handler-errors";
import {
  callInitialize,
  callMethod,
  decodePathArgs,
  decodePathKwargs,
  hasMethod,
  parseBodyArguments,
  StreamedBody,
} from "./handler-execution";
import {
  EMPTY,
  RESOLVED,
  appendChunk,
  checkStatusCode,
  headerValueText,
  joinParts,
  reasonPhrase,
  redirectStatus,
  setFinalHeaders,
  settle,
  type OutputParts,
} from "./handler-output";
import * as templates from "./handler-templates";
import type { ClearCookieOptions } from "./outgoing-cookies";
import type { SetCookieOptions } from "./set-cookie";
import { prepareWithCurrentUser } from "./current-user";
import { injectModuleResources } from "./ui-namespace";

/** What sendError and writeError receive. Tornado: send_error's **kwargs (exc_info, reason). */
export interface ErrorDetails {
  /** The thrown value that caused the error, if any (Tornado's exc_info). */
  error?: unknown;
  /** Reason phrase for the status line. */
  reason?: string;
  [key: string]: unknown;
}

/** What write() takes: text, bytes, or a plain object sent as JSON. */
export type WriteChunk = string | Buffer | Uint8Array | Record<string, unknown>;

/** The loader a template-rendering handler needs (an @tornado/template BaseLoader). */
export interface TemplateLoaderLike {
  load(name: string, parentPath?: string): { generate(namespace: Record<string, unknown>): Buffer | string };
  reset?(): void;
}

const UNSET = Symbol("unset");

const STAGE_PREPARE = 0;
const STAGE_BODY = 1;
const STAGE_METHOD = 2;

/** Constructor type of RequestHandler subclasses. */
export type RequestHandlerClass = (new (application: Application, request: HTTPServerRequest) => RequestHandler) & {
  SUPPORTED_METHODS: readonly string[];
  streamRequestBody?: boolean;
};

/**
 * Subclass it and define `get`, `post`... (sync or async). Path groups arrive as the
 * method's arguments: unnamed groups positionally (`get(id)`), named groups as one object
 * (`get({ id })`, Tornado's **kwargs). Tornado: web.RequestHandler.
 *
 * @example
 * class MainHandler extends RequestHandler {
 *   get() { this.write("Hello, world"); }
 * }
 */
export class RequestHandler {
  /** Methods this handler answers; any other gets 405. Tornado: SUPPORTED_METHODS. */
  static SUPPORTED_METHODS: readonly string[] = ["GET", "HEAD", "POST", "DELETE", "PATCH", "PUT", "OPTIONS"];
  /**
   * When true, the body is not buffered: prepare() runs once the headers are in, then
   * dataReceived(chunk) per chunk (awaited: flow control), then the method.
   * Set with the `@streamRequestBody` decorator or `static streamRequestBody = true`.
   */
  static streamRequestBody = false;

  readonly application: Application;
  readonly request: HTTPServerRequest;
  /** Decoded unnamed path groups (null for an optional group that did not match). */
  pathArgs: (string | null)[] = [];
  /** Decoded named path groups. Tornado: path_kwargs. */
  pathKwargs: Record<string, string | null> = {};

  #status = 200;
  #reason = "OK";
  #headers!: HTTPHeaders;
  #writeBuffer!: OutputParts;
  #headersWritten = false;
  #finished = false;
  #transforms: OutputTransform[] | null = null;
  #closeCallbackSet = false;
  #preparedResolve: (() => void) | null = null;
  #body: StreamedBody | null = null;
  #currentUser: unknown = UNSET;
  #locale: Locale | typeof UNSET = UNSET;
  #jsonBody: unknown = UNSET;
  #namedGroups = false;
  /** When false, the method returning does not finish the response (websocket, detach). */
  protected _autoFinish = true;

  /** Do not override: use initialize(). Tornado: RequestHandler.__init__. */
  constructor(application: Application, request: HTTPServerRequest) {
    this.application = application;
    this.request = request;
    this.clear();
  }

  // ---------------------------------------------------------------- lifecycle hooks

  /** Receives the rule's init arguments. Tornado: initialize(**kwargs). */
  initialize(..._args: unknown[]): void {}

  /** Runs before the method; may be async; calling finish() here skips the method. */
  prepare(): void | Promise<void> {}

  /** Runs after the response is sent; must not write. Tornado: on_finish. */
  onFinish(): void {}

  /**
   * The client closed the connection before the response finished. In streaming mode the
   * pending body fails with StreamClosedError. Tornado: on_connection_close.
   */
  onConnectionClose(): void {
    const body = this.#body;
    if (body !== null && !body.done) body.reject(new StreamClosedError());
  }

  /** A chunk of a streamed body (see streamRequestBody); may return a Promise for flow control. */
  dataReceived(_chunk: Buffer): void | Promise<void> {
    throw new Error(`${this.constructor.name} has streamRequestBody set but does not define dataReceived`);
  }

  /** Headers every response starts with; runs in clear(), so also on the error path. */
  setDefaultHeaders(): void {}

  get(..._args: unknown[]): unknown {
    throw new HTTPError(405);
  }
  head(..._args: unknown[]): unknown {
    throw new HTTPError(405);
  }
  post(..._args: unknown[]): unknown {
    throw new HTTPError(405);
  }
  delete(..._args: unknown[]): unknown {
    throw new HTTPError(405);
  }
  patch(..._args: unknown[]): unknown {
    throw new HTTPError(405);
  }
  put(..._args: unknown[]): unknown {
    throw new HTTPError(405);
  }
  options(..._args: unknown[]): unknown {
    throw new HTTPError(405);
  }

  /** The application's settings. */
  get settings(): ApplicationSettings {
    return this.application.settings;
  }

  // ---------------------------------------------------------------- execution (internal)

  /** Called by the application right after construction. @internal */
  _start(initArgs: unknown, streaming: boolean): Promise<void> | null {
    if (streaming) this.#body = new StreamedBody();
    if (streaming || this.onConnectionClose !== RequestHandler.prototype.onConnectionClose) {
      // Only handlers that care pay for the close callback (the default does nothing unless streaming).
      const connection = this.request.connection;
      if (connection !== undefined) {
        connection.setCloseCallback(() => this.onConnectionClose());
        this.#closeCallbackSet = true;
      }
    }
    callInitialize(this, initArgs);
    if (!streaming) return null;
    return new Promise<void>((resolve) => {
      this.#preparedResolve = resolve;
    });
  }

  /** The streamed body is complete. @internal */
  _bodyFinished(): void {
    this.#body?.resolve();
  }

  /** An error thrown by dataReceived: answered as a handler error. @internal */
  _failFromBody(error: unknown): void {
    this.#fail(error);
  }

  /** Runs prepare, the method and finish, turning every error into a response. @internal */
  _execute(transforms: OutputTransform[] | null, pathArgs: PathArgument[], pathKwargs: Record<string, PathArgument> | undefined): void {
    this.#transforms = transforms;
    try {
      const ctor = this.constructor as RequestHandlerClass;
      if (!ctor.SUPPORTED_METHODS.includes(this.request.method)) throw new HTTPError(405);
      if (this.#body === null && hasMethod(this, RequestHandler.prototype)) parseBodyArguments(this.request);
      this.#decodePathArguments(pathArgs, pathKwargs);
      const method = this.request.method;
      if (this.settings.xsrfCookies && method !== "GET" && method !== "HEAD" && method !== "OPTIONS") this.checkXsrfCookie();
      const prepared = prepareWithCurrentUser(this);
      if (isThenable(prepared)) {
        void this.#executeAsync(prepared, STAGE_PREPARE);
        return;
      }
      this.#resolvePrepared();
      if (this.#finished) return;
      if (this.#body !== null) {
        void this.#executeAsync(this.#body.promise, STAGE_BODY);
        return;
      }
      const result = callMethod(this, this.#namedGroups);
      if (isThenable(result)) {
        void this.#executeAsync(result, STAGE_METHOD);
        return;
      }
      if (this._autoFinish && !this.#finished) this.finish();
    } catch (error) {
      this.#fail(error);
      this.#resolvePrepared();
    }
  }

  async #executeAsync(pending: unknown, stage: number): Promise<void> {
    try {
      if (stage === STAGE_PREPARE) {
        await pending;
        this.#resolvePrepared();
        if (this.#finished) return;
        if (this.#body !== null) {
          pending = this.#body.promise;
          stage = STAGE_BODY;
        } else {
          pending = callMethod(this, this.#namedGroups);
        }
      }
      if (stage === STAGE_BODY) {
        try {
          await pending;
        } catch (error) {
          if (error instanceof StreamClosedError) return;
          throw error;
        }
        // dataReceived may have failed and answered already.
        if (this.#finished) return;
        pending = callMethod(this, this.#namedGroups);
      }
      if (isThenable(pending)) await pending;
      if (this._autoFinish && !this.#finished) this.finish();
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#resolvePrepared();
    }
  }

  #resolvePrepared(): void {
    const resolve = this.#preparedResolve;
    if (resolve !== null) {
      this.#preparedResolve = null;
      resolve();
    }
  }

  #decodePathArguments(pathArgs: PathArgument[], pathKwargs: Record<string, PathArgument> | undefined): void {
    const custom = this.decodeArgument !== RequestHandler.prototype.decodeArgument;
    if (pathArgs.length > 0) this.pathArgs = decodePathArgs(this, pathArgs, custom);
    if (pathKwargs !== undefined) {
      const decoded = decodePathKwargs(this, pathKwargs, custom);
      if (decoded !== null) {
        this.#namedGroups = true;
        this.pathKwargs = decoded;
      }
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
    handlerErrors.handleRequestException(this, error);
  }

  /**
   * Logs an exception from the handler: an HTTPError with a message as a warning on
   * `tornado.general`, anything else as an error with the request on `tornado.application`.
   * Tornado: RequestHandler.log_exception.
   */
  logException(error: unknown): void {
    handlerErrors.logException(this, error);
  }

  /** `"GET /path (1.2.3.4)"`. Tornado: _request_summary. */
  _requestSummary(): string {
    return `${this.request.method} ${this.request.uri} (${this.request.remoteIp})`;
  }

  // ---------------------------------------------------------------- input

  /**
   * The last value of argument `name` from the query and the body (the body wins), decoded
   * and with control characters replaced by spaces; stripped unless `strip` is false.
   * Without a default, a missing argument throws MissingArgumentError (400); with one, the
   * default is returned. Tornado: RequestHandler.get_argument.
   */
  getArgument(name: string): string;
  getArgument<D>(name: string, defaultValue: D, strip?: boolean): string | D;
  getArgument(name: string, ...rest: unknown[]): unknown {
    return this.#getOne(this.request.arguments, name, rest);
  }

  /** Every value of `name` from query and body (empty when absent). Tornado: get_arguments. */
  getArguments(name: string, strip = true): string[] {
    return this.#getAll(this.request.arguments, name, strip);
  }

  /** Like getArgument, from the query string only. Tornado: get_query_argument. */
  getQueryArgument(name: string): string;
  getQueryArgument<D>(name: string, defaultValue: D, strip?: boolean): string | D;
  getQueryArgument(name: string, ...rest: unknown[]): unknown {
    return this.#getOne(this.request.queryArguments, name, rest);
  }

  /** Tornado: get_query_arguments. */
  getQueryArguments(name: string, strip = true): string[] {
    return this.#getAll(this.request.queryArguments, name, strip);
  }

  /** Like getArgument, from the body only. Tornado: get_body_argument. */
  getBodyArgument(name: string): string;
  getBodyArgument<D>(name: string, defaultValue: D, strip?: boolean): string | D;
  getBodyArgument(name: string, ...rest: unknown[]): unknown {
    return this.#getOne(this.request.bodyArguments, name, rest);
  }

  /** Tornado: get_body_arguments. */
  getBodyArguments(name: string, strip = true): string[] {
    return this.#getAll(this.request.bodyArguments, name, strip);
  }

  #getOne(source: Record<string, Buffer[]>, name: string, rest: unknown[]): unknown {
    return lastArgument(source, name, rest, this.#decoder());
  }

  #getAll(source: Record<string, Buffer[]>, name: string, strip: boolean): string[] {
    return argumentValues(source, name, strip, this.#decoder());
  }

  #decoder(): ArgumentDecoder {
    return this.decodeArgument === RequestHandler.prototype.decodeArgument
      ? decodeUtf8Argument
      : (value, name) => this.decodeArgument(value, name);
  }

  /**
   * Decodes an argument or path value from bytes: strict UTF-8, else HTTPError(400
   * "Invalid unicode in {name}"). Override for another charset, or to return the bytes.
   * Tornado: RequestHandler.decode_argument.
   */
  decodeArgument(value: Buffer, name?: string): string | Buffer {
    return decodeUtf8Argument(value, name);
  }

  /**
   * The body parsed as JSON (cached). 400 when the Content-Type is not JSON
   * (`application/json` or `+json`) or the body is not valid JSON. Beyond Tornado.
   */
  getJsonBody<T = unknown>(): T {
    if (this.#jsonBody === UNSET) this.#jsonBody = parseJsonBody(this.request);
    return this.#jsonBody as T;
  }

  /**
   * The best locale from Accept-Language (q-values honoured, q=0 dropped), else `defaultCode`.
   * Tornado: RequestHandler.get_browser_locale.
   */
  getBrowserLocale(defaultCode = "en_US"): Locale {
    const header = this.request.headers.get("Accept-Language");
    const codes = header ? acceptLanguageCodes(header) : [];
    return codes.length > 0 ? Locale.get(...codes) : Locale.get(defaultCode);
  }

  /** Hook: the user's own locale, or null to use the browser's. Tornado: get_user_locale. */
  getUserLocale(): Locale | null {
    return null;
  }

  /** The request's locale (settable), computed once. Tornado: RequestHandler.locale. */
  get locale(): Locale {
    if (this.#locale === UNSET) this.#locale = this.getUserLocale() ?? this.getBrowserLocale();
    return this.#locale;
  }
  set locale(value: Locale) {
    this.#locale = value;
  }

  /** Hook: the authenticated user, or null. Sync; for async lookups set currentUser in prepare(). */
  getCurrentUser(): unknown {
    return null;
  }

  /** The user, from getCurrentUser() once, or as assigned. Tornado: current_user. */
  get currentUser(): unknown {
    if (this.#currentUser === UNSET) this.#currentUser = this.getCurrentUser();
    return this.#currentUser;
  }
  set currentUser(value: unknown) {
    this.#currentUser = value;
  }

  // ---------------------------------------------------------------- output: status and headers

  /** Resets headers, buffer and status (200). Tornado: RequestHandler.clear. */
  clear(): void {
    const headers = new HTTPHeaders();
    headers._addTrusted("Server", SERVER_HEADER);
    headers._addTrusted("Content-Type", "text/html; charset=UTF-8");
    headers._addTrusted("Date", httpDate());
    this.#headers = headers;
    this.setDefaultHeaders();
    this.#writeBuffer = [];
    this.#status = 200;
    this.#reason = "OK";
  }

  /**
   * Sets the status and reason phrase (default: the standard phrase, else "Unknown"; a
   * reason with control characters or "<" becomes "Unknown"). Tornado: set_status.
   */
  setStatus(statusCode: number, reason?: string | null): void {
    checkStatusCode(statusCode);
    this.#status = statusCode;
    this.#reason = reasonPhrase(statusCode, reason);
  }

  /** Tornado: get_status. */
  getStatus(): number {
    return this.#status;
  }

  /** The response headers so far (read-only use). */
  get responseHeaders(): HTTPHeaders {
    return this.#headers;
  }

  /**
   * Replaces a response header. Numbers are written in decimal, Dates as HTTP dates, Buffers
   * as latin-1. A control character throws UnsafeHeaderValueError. Tornado: set_header.
   */
  setHeader(name: string, value: string | number | Date | Buffer): void {
    this.#headers.set(name, headerValueText(value));
  }

  /** Adds a value to a (multi-valued) header. Tornado: add_header. */
  addHeader(name: string, value: string | number | Date | Buffer): void {
    this.#headers.add(name, headerValueText(value));
  }

  /** Removes a header; a missing name is fine. Tornado: clear_header. */
  clearHeader(name: string): void {
    this.#headers.delete(name);
  }

  // ---------------------------------------------------------------- output: body

  /**
   * Buffers output: a string (UTF-8), bytes, or a plain object sent as JSON with
   * `Content-Type: application/json; charset=UTF-8` (the `jsonSerializer` setting, default
   * jsonEncode). Arrays are refused (JSON hijacking), as Tornado refuses lists.
   * Tornado: RequestHandler.write.
   */
  write(chunk: WriteChunk): void {
    if (this.#finished) throw new ResponseStateError("Cannot write() after finish()");
    appendChunk(this.#writeBuffer, this.#headers, chunk, this.application.settings);
  }

  /** Whether the headers went out. */
  get headersWritten(): boolean {
    return this.#headersWritten;
  }

  /** Whether finish() ran. */
  get finished(): boolean {
    return this.#finished;
  }

  #takeBuffer(): string | Buffer {
    const parts = this.#writeBuffer;
    if (parts.length === 0) return EMPTY;
    this.#writeBuffer = [];
    return joinParts(parts);
  }

  #connection(): HTTPConnection {
    const connection = this.request.connection;
    if (connection === undefined) throw new ResponseStateError("the request has no connection to write to");
    return connection;
  }

  /**
   * Sends the buffered output (status and headers first). Resolves when the data is handed to
   * the socket: await it to apply backpressure. Tornado: RequestHandler.flush.
   */
  flush(): Promise<void> {
    return this.#flush(false);
  }

  #flush(finishing: boolean): Promise<void> {
    const connection = this.#connection();
    let chunk = this.#takeBuffer();
    const transforms = this.#transforms;
    if (!this.#headersWritten) {
      this.#headersWritten = true;
      let status = this.#status;
      let headers = this.#headers;
      if (transforms !== null) {
        let bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
        for (const transform of transforms) {
          [status, headers, bytes] = transform.transformFirstChunk(status, headers, bytes, finishing);
        }
        chunk = bytes;
        this.#headers = headers;
      }
      this._completeHeaders(headers);
      if (this.request.method === "HEAD") chunk = EMPTY;
      const startLine = new ResponseStartLine("HTTP/1.1", status, this.#reason);
      return settle(connection.writeHeaders(startLine, headers, chunk.length === 0 ? undefined : chunk));
    }
    if (transforms !== null) {
      let bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      for (const transform of transforms) bytes = transform.transformChunk(bytes, finishing);
      chunk = bytes;
    }
    if (this.request.method === "HEAD" || chunk.length === 0) return RESOLVED;
    return settle(connection.write(chunk));
  }

  /**
   * Completes a header block about to be written: Set-Cookie for the cookies set so far, then
   * the _beforeHeadersWritten hook. WebSocketHandler calls it for its 101 response.
   * @internal
   */
  protected _completeHeaders(headers: HTTPHeaders): void {
    cookies.addSetCookieHeaders(this, headers);
    this._beforeHeadersWritten(headers);
  }

  /**
   * Hook run once just before the headers are written.
   * @internal
   */
  protected _beforeHeadersWritten(_headers: HTTPHeaders): void {}

  /**
   * Finishes the response: ETag/304 on a 200 GET/HEAD, Content-Length when known, flush,
   * log, onFinish(). Resolves when the data is sent. Tornado: RequestHandler.finish.
   */
  finish(chunk?: WriteChunk | null): Promise<void> {
    if (this.#finished) throw new ResponseStateError("finish() called twice");
    if (chunk !== undefined && chunk !== null) this.write(chunk);
    if (!this.#headersWritten) {
      const method = this.request.method;
      if (this.#status === 200 && (method === "GET" || method === "HEAD") && !this.#headers.has("Etag")) {
        this.#setDefaultEtag();
        if (this.checkEtagHeader()) {
          this.#writeBuffer = [];
          this.setStatus(304);
        }
      }
      setFinalHeaders(this.#status, this.#headers, this.#writeBuffer);
    }
    const connection = this.#connection();
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
        this.#finished = true;
        throw error;
      }
    }
    (this.request as { _markFinished?: () => void })._markFinished?.();
    this.application.logRequest(this);
    this.#finished = true;
    try {
      this.onFinish();
    } catch (error) {
      appLog.error("Uncaught exception in onFinish", error);
    }
    return promise;
  }

  /**
   * Sends an error page: clears the response, sets the status (reason from details or the
   * HTTPError), calls writeError (not for 304), finishes. After the headers went out it can
   * only log and end the response. Tornado: RequestHandler.send_error.
   */
  sendError(statusCode = 500, details: ErrorDetails = {}): void {
    handlerErrors.sendError(this, statusCode, details);
  }

  /**
   * Writes the error page; override for custom pages. Default: a small HTML page, or the
   * stack as text/plain with the `serveTraceback` setting. Tornado: write_error.
   */
  writeError(statusCode: number, details: ErrorDetails): void {
    handlerErrors.writeDefaultError(this, statusCode, details, this.#reason);
  }

  /**
   * Redirects with 302, 301 when permanent, or `status` (300-399). Tornado: redirect.
   */
  redirect(url: string, permanent = false, status?: number): Promise<void> {
    if (this.#headersWritten) throw new ResponseStateError("Cannot redirect after headers have been written");
    this.setStatus(redirectStatus(permanent, status));
    this.setHeader("Location", url);
    return this.finish();
  }

  /**
   * Takes over the connection (HTTP/1 only): the response is considered finished and the
   * socket is returned with bytes read past the request. Tornado: RequestHandler.detach.
   */
  detach(): ReturnType<HTTPConnection["detach"]> {
    this.#finished = true;
    this._autoFinish = false;
    return this.#connection().detach();
  }

  // ---------------------------------------------------------------- ETag

  /** The response's ETag: `"<sha1 of the body>"`; return null to disable. Tornado: compute_etag. */
  computeEtag(): string | null {
    return sha1Etag(this.#writeBuffer);
  }

  #setDefaultEtag(): void {
    if (this.computeEtag !== RequestHandler.prototype.computeEtag || this.setEtagHeader !== RequestHandler.prototype.setEtagHeader) {
      this.setEtagHeader();
      return;
    }
    // The default ETag is a quoted hex digest, always a valid value: no checks needed.
    this.#headers._addTrusted("Etag", sha1Etag(this.#writeBuffer));
  }

  /** Sets Etag from computeEtag(), unless it is null. Tornado: set_etag_header. */
  setEtagHeader(): void {
    const etag = this.computeEtag();
    if (etag !== null) this.setHeader("Etag", etag);
  }

  /** Whether the request's If-None-Match matches the response's Etag. Tornado: check_etag_header. */
  checkEtagHeader(): boolean {
    return checkEtagHeaders(this.request.headers, this.#headers);
  }

  // ---------------------------------------------------------------- templates

  /** The `templatePath` setting. Tornado: get_template_path. */
  getTemplatePath(): string | undefined {
    return this.settings.templatePath;
  }

  /**
   * The `templateLoader` setting, else a template Loader on the path with the `autoescape`
   * and `templateWhitespace` settings. Tornado: create_template_loader.
   */
  createTemplateLoader(templatePath: string): TemplateLoaderLike {
    return templates.createTemplateLoader(this.settings, templatePath);
  }

  /**
   * Renders a template with getTemplateNamespace() plus `kwargs`. Loaders are cached per
   * template path (process-wide, as Tornado's class-level cache). Tornado: render_string.
   */
  renderString(templateName: string, kwargs: Record<string, unknown> = {}): Buffer | string {
    return templates.renderString(this, templateName, kwargs);
  }

  /** Renders a template and finishes the response with it. Tornado: render. */
  render(templateName: string, kwargs: Record<string, unknown> = {}): Promise<void> {
    if (this.#finished) throw new ResponseStateError("Cannot render() after finish()");
    const html = injectModuleResources(this, this.renderString(templateName, kwargs));
    return this.finish(html);
  }

  /**
   * The names every template sees: handler, request, currentUser, locale, `_`, pgettext,
   * staticUrl, xsrfFormHtml, reverseUrl. `currentUser` and `locale` are getters, read when
   * the template runs (the template engine makes every name a local), as in Tornado.
   * Tornado: get_template_namespace.
   */
  getTemplateNamespace(): Record<string, unknown> {
    return templates.templateNamespace(this);
  }

  /** Forgets every cached template loader (what `compiledTemplateCache: false` does per request). */
  static resetTemplateLoaders(): void {
    templates.resetTemplateLoaders();
  }

  // ---------------------------------------------------------------- misc

  /** Tornado: reverse_url. */
  reverseUrl(name: string, ...args: unknown[]): string {
    return this.application.reverseUrl(name, ...args);
  }

  /** Throws MissingSettingError when the setting is absent. Tornado: require_setting. */
  requireSetting(name: string, feature = "this feature"): void {
    if (!(this.settings as Record<string, unknown>)[name]) throw new MissingSettingError(name, feature);
  }

  /**
   * The URL of a static file: `staticHandlerClass.makeStaticUrl` (prefix, path and `?v=`
   * content hash), with `protocol://host` when includeHost (default: the handler's
   * `includeHost` property). Tornado: static_url.
   */
  staticUrl(path: string, includeHost?: boolean, options: { includeVersion?: boolean } = {}): string {
    return staticUrlOf(this, path, includeHost, options.includeVersion ?? true);
  }

  // ------------------------------------------- cookies, signed cookies, XSRF, login (handler-cookies.ts)

  /** The request's cookies (name -> value). Tornado: RequestHandler.cookies. */
  get cookies(): Map<string, string> {
    return this.request.cookies;
  }

  /** A request cookie, or `defaultValue`; never sees cookies set in this response. Tornado: get_cookie. */
  getCookie(name: string, defaultValue?: string): string | undefined {
    return cookies.getCookie(this, name, defaultValue);
  }

  /**
   * Sets a cookie (path "/" unless given); setting a name again replaces it. Invalid names,
   * values or attributes throw CookieError. Tornado: set_cookie.
   */
  setCookie(name: string, value: string | Buffer, options?: SetCookieOptions): void {
    cookies.setCookie(this, name, value, options);
  }

  /** Deletes a cookie (same path and domain as it was set with). Tornado: clear_cookie. */
  clearCookie(name: string, options?: ClearCookieOptions): void {
    cookies.clearCookie(this, name, options);
  }

  /** Deletes every cookie the request sent. Tornado: clear_all_cookies. */
  clearAllCookies(options?: ClearCookieOptions): void {
    cookies.clearAllCookies(this, options);
  }

  /** A value signed with the `cookieSecret` setting (and `keyVersion`). Tornado: create_signed_value. */
  createSignedValue(name: string, value: string | Buffer, version?: number): string {
    return cookies.createHandlerSignedValue(this, name, value, version);
  }

  /**
   * Signs and sets a cookie (expiresDays default 30) so it cannot be forged.
   * Tornado: set_signed_cookie (set_secure_cookie).
   */
  setSignedCookie(name: string, value: string | Buffer, options?: SetSignedCookieOptions): void {
    cookies.setSignedCookie(this, name, value, options);
  }

  /**
   * The verified value of a signed cookie as UTF-8 text, or null (missing, forged, older than
   * maxAgeDays, default 31). `value` replaces the request's cookie. Tornado: get_signed_cookie.
   */
  getSignedCookie(name: string, value?: string | null, options?: GetSignedCookieOptions): string | null {
    return cookies.getSignedCookieBuffer(this, name, value, options)?.toString("utf8") ?? null;
  }

  /** getSignedCookie returning the bytes (Tornado returns bytes). */
  getSignedCookieBuffer(name: string, value?: string | null, options?: GetSignedCookieOptions): Buffer | null {
    return cookies.getSignedCookieBuffer(this, name, value, options);
  }

  /** The key version of a signed cookie, or null. Tornado: get_signed_cookie_key_version. */
  getSignedCookieKeyVersion(name: string, value?: string | null): number | null {
    return cookies.getSignedCookieKeyVersion(this, name, value);
  }

  /**
   * The XSRF token (masked differently on every request), setting the `_xsrf` cookie when
   * the request had none. Tornado: xsrf_token.
   */
  get xsrfToken(): string {
    return cookies.xsrfToken(this);
  }

  /**
   * Throws HTTPError(403) unless the `_xsrf` argument or X-Xsrftoken / X-Csrftoken header
   * matches the XSRF cookie; runs before prepare() for POST, PUT, PATCH, DELETE... when the
   * `xsrfCookies` setting is on. Tornado: check_xsrf_cookie.
   */
  checkXsrfCookie(): void {
    cookies.checkXsrfCookie(this);
  }

  /** `<input type="hidden" name="_xsrf" value="…"/>` for forms. Tornado: xsrf_form_html. */
  xsrfFormHtml(): string {
    return cookies.handlerXsrfFormHtml(this);
  }

  /** The `loginUrl` setting (required), used by `authenticated`. Tornado: get_login_url. */
  getLoginUrl(): string {
    this.requireSetting("loginUrl", "@authenticated");
    return this.settings.loginUrl as string;
  }
}
