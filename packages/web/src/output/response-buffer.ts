/**
 * The response a handler is building: its status line, headers and the body written but not
 * yet sent, and whether the headers went out and the response finished. RequestHandler holds
 * one per request and asks it to send itself on flush() and finish(); the order of those
 * steps stays in RequestHandler. Tornado: RequestHandler's _status_code, _reason, _headers,
 * _write_buffer, _headers_written and _finished, and the writing half of flush().
 */

import { jsonEncode } from "@tornado/escape";
import type { HTTPConnection } from "@tornado/httpserver";
import { HTTPHeaders, httpDate, ResponseStartLine } from "@tornado/httputil";
import { RESOLVED } from "@tornado/util";
import { ResponseStateError, WriteTypeError } from "../errors";
import { SERVER_HEADER } from "../version";
import { sha1Etag } from "./etag";
import { checkStatusCode, reasonPhrase } from "./header-values";
import type { OutputTransform } from "./output-transform";

/** What write() takes: text, bytes, or a plain object sent as JSON. */
export type WriteChunk = string | Buffer | Uint8Array | Record<string, unknown>;

/** The buffered output: text (sent as UTF-8) and bytes, in order. */
export type OutputParts = (string | Buffer)[];

/** The request fields a response reads: where to write, and whether it answers a HEAD. */
export interface ResponseTarget {
  readonly method: string;
  readonly connection?: HTTPConnection;
}

const EMPTY = Buffer.alloc(0);
const NOOP = (): void => {};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype === Object.prototype || prototype === null;
}

/** The buffered parts as one chunk: a string when they all are, else bytes. */
export function joinParts(parts: OutputParts): string | Buffer {
  if (parts.length === 0) return EMPTY;
  if (parts.length === 1) return parts[0];
  let allStrings = true;
  for (const part of parts) if (typeof part !== "string") allStrings = false;
  if (allStrings) return parts.join("");
  return Buffer.concat(parts.map((part) => (typeof part === "string" ? Buffer.from(part) : part)));
}

/** Bytes the parts take on the wire (text as UTF-8). */
export function byteLength(parts: OutputParts): number {
  let total = 0;
  for (const part of parts) total += typeof part === "string" ? Buffer.byteLength(part) : part.length;
  return total;
}

/**
 * The caller may not await: marks the promise handled so a closed socket is not an
 * unhandledRejection, while an await still sees the error. The shared settled Promise (a write
 * the socket took at once, the common case) cannot reject and is returned as it is.
 */
export function settle(promise: Promise<void>): Promise<void> {
  if (promise !== RESOLVED) promise.catch(NOOP);
  return promise;
}

/** One response: status, headers, buffered body, and the state of sending it. */
export class ResponseBuffer {
  /** Tornado: RequestHandler._status_code. */
  status = 200;
  /** The reason phrase of the status line. */
  reason = "OK";
  /** The headers so far; replaced by reset(). */
  headers!: HTTPHeaders;
  /** Written and not yet flushed. */
  parts!: OutputParts;
  headersWritten = false;
  finished = false;
  /** This response's output transforms (one instance each), or null for none. */
  transforms: OutputTransform[] | null = null;
  readonly #request: ResponseTarget;
  // What startHead() readied for sendHead(): a transform may rewrite the status on the wire
  // only (getStatus() and the access log keep the handler's).
  #headStatus = 200;
  #head: string | Buffer = EMPTY;

  constructor(request: ResponseTarget) {
    this.#request = request;
  }

  /** 200 OK, the default headers (Server, Content-Type, Date) and no body. Tornado: clear. */
  reset(): void {
    const headers = new HTTPHeaders();
    // Constant, valid values: skip set()'s checks.
    headers._addTrusted("Server", SERVER_HEADER);
    headers._addTrusted("Content-Type", "text/html; charset=UTF-8");
    headers._addTrusted("Date", httpDate());
    this.headers = headers;
    this.parts = [];
    this.status = 200;
    this.reason = "OK";
  }

  /** Sets the status and its reason phrase (checked: see header-values.ts). */
  setStatus(statusCode: number, reason: string | null | undefined): void {
    checkStatusCode(statusCode);
    this.status = statusCode;
    this.reason = reasonPhrase(statusCode, reason);
  }

  /**
   * Appends what write() takes: text, bytes, or a plain object serialized as JSON (which also
   * sets the JSON Content-Type). Anything else, arrays included, throws WriteTypeError.
   */
  write(chunk: unknown, jsonSerializer: ((value: unknown) => string) | undefined): void {
    if (this.finished) throw new ResponseStateError("Cannot write() after finish()");
    if (typeof chunk === "string" || Buffer.isBuffer(chunk)) {
      this.parts.push(chunk);
      return;
    }
    if (chunk instanceof Uint8Array) {
      this.parts.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      return;
    }
    if (isPlainObject(chunk)) {
      this.parts.push((jsonSerializer ?? jsonEncode)(chunk));
      // A constant, valid value: skip setHeader's checks on this hot path.
      this.headers.delete("Content-Type");
      this.headers._addTrusted("Content-Type", "application/json; charset=UTF-8");
      return;
    }
    let message = "write() only accepts bytes, unicode, and dict objects";
    if (Array.isArray(chunk)) {
      message +=
        ". Lists not accepted for security reasons; see http://www.tornadoweb.org/en/stable/web.html#tornado.web.RequestHandler.write";
    }
    throw new WriteTypeError(message);
  }

  /** Drops the buffered body (a 304 sends none). */
  discardBody(): void {
    this.parts = [];
  }

  /** `"<sha1 hex>"` of the buffered body: Tornado's default compute_etag. */
  etag(): string {
    return sha1Etag(this.parts);
  }

  /**
   * The framing headers of a whole response: a status without a body (1xx, 204, 304) drops
   * the content headers and refuses a body; any other gets Content-Length unless it has one.
   */
  setFinalHeaders(): void {
    const { status, headers, parts } = this;
    if (status === 204 || status === 304 || (status >= 100 && status < 200)) {
      if (byteLength(parts) > 0) throw new ResponseStateError(`Cannot send body with ${status}`);
      headers.delete("Content-Encoding");
      headers.delete("Content-Language");
      headers.delete("Content-Type");
    } else if (!headers.has("Content-Length")) {
      headers._addTrusted("Content-Length", String(byteLength(parts)));
    }
  }

  /** The connection to write to; ResponseStateError when the request has none (detached). */
  connection(): HTTPConnection {
    const connection = this.#request.connection;
    if (connection === undefined) throw new ResponseStateError("the request has no connection to write to");
    return connection;
  }

  #take(): string | Buffer {
    const parts = this.parts;
    if (parts.length === 0) return EMPTY;
    this.parts = [];
    return joinParts(parts);
  }

  /**
   * Readies the header block to send with the buffered body: runs the transforms over the
   * status, headers and first chunk and marks the headers written. Returns the headers, to
   * be completed (Set-Cookie) before sendHead(). `finishing`: this chunk is the whole body.
   */
  startHead(finishing: boolean): HTTPHeaders {
    this.connection();
    let chunk = this.#take();
    this.headersWritten = true;
    let status = this.status;
    const transforms = this.transforms;
    if (transforms !== null) {
      let headers = this.headers;
      let bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      for (const transform of transforms) {
        [status, headers, bytes] = transform.transformFirstChunk(status, headers, bytes, finishing);
      }
      this.headers = headers;
      chunk = bytes;
    }
    this.#headStatus = status;
    this.#head = this.#request.method === "HEAD" ? EMPTY : chunk;
    return this.headers;
  }

  /** Writes the status line, the headers and the first chunk. Resolves when the socket took them. */
  sendHead(): Promise<void> {
    const chunk = this.#head;
    this.#head = EMPTY;
    const startLine = new ResponseStartLine("HTTP/1.1", this.#headStatus, this.reason);
    return settle(this.connection().writeHeaders(startLine, this.headers, chunk.length === 0 ? undefined : chunk));
  }

  /** Writes the buffered body after the headers went out (through the transforms). */
  sendBody(finishing: boolean): Promise<void> {
    const connection = this.connection();
    let chunk = this.#take();
    const transforms = this.transforms;
    if (transforms !== null) {
      let bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      for (const transform of transforms) bytes = transform.transformChunk(bytes, finishing);
      chunk = bytes;
    }
    if (this.#request.method === "HEAD" || chunk.length === 0) return RESOLVED;
    return settle(connection.write(chunk));
  }
}
