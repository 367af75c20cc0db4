/**
 * The HTTP/1.1 request parser: a push parser (feed it Buffers as they arrive) with an explicit
 * state machine, RFC 9112 strict. It never copies the input on the common path (a request that
 * arrives in one packet); a header block split over packets is gathered in one growing buffer,
 * bounded by maxHeaderSize. Every malformed input ends in one HTTPInputError (400), or
 * HTTPHeadersTooLargeError (431), HTTPURITooLongError (414) or HTTPBodyTooLargeError (413).
 *
 * Tornado: the reading half of http1connection.HTTP1Connection (_read_message, _read_body,
 * _read_chunked_body), rewritten as a state machine.
 */

import {
  FIELD_VALUE_CHARS as FIELD_VALUE,
  HOST_CHARS as HOST_TABLE,
  HTTPHeaders,
  HTTPInputError,
  normalizeHeaderName,
  RequestStartLine,
  TARGET_CHARS as TARGET,
  TOKEN_CHARS as TOKEN,
} from "@tornado/httputil";
import { HTTPBodyTooLargeError, HTTPHeadersTooLargeError, HTTPURITooLongError } from "./errors";
import { ChunkedDecoder } from "./chunked-decoder";

/** What the parser tells its owner; a `true` return from a callback pauses the parser. */
export interface HTTP1ParserHandler {
  /** The head is in; framing is known (bodyLength -1 = chunked). */
  onHeaders(startLine: RequestStartLine, headers: HTTPHeaders, info: RequestFraming): boolean;
  /** A slice of the body (at most chunkSize bytes; it may share memory with the input). */
  onBody(chunk: Buffer): boolean;
  /** The whole message has been read. */
  onMessageComplete(): boolean;
}

/** What the head says about the message around it. */
export interface RequestFraming {
  /** Body bytes for a Content-Length body, 0 for none, -1 for chunked. */
  bodyLength: number;
  /** Whether the client allows keeping the connection open after this message. */
  keepAlive: boolean;
  /** `Expect: 100-continue` was sent. */
  expectContinue: boolean;
  /** `Connection: upgrade` with an Upgrade header. */
  upgrade: boolean;
}

export interface HTTP1ParserOptions {
  /** Bytes allowed in the head (request line + headers), default 65536. */
  maxHeaderSize?: number;
  /** Body bytes allowed, default 104857600. */
  maxBodySize?: number;
  /** Largest slice handed to onBody, default 65536. */
  chunkSize?: number;
}

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HTAB = 0x09;
const COLON = 0x3a;


// Parser states.
const S_START = 0; // before a request line; CRLFs are skipped (RFC 9112 2.2)
const S_START_LF = 1; // a CR was skipped, LF must follow
const S_HEAD = 2; // in the head; lines parsed as they complete
const S_BODY = 3; // Content-Length body
const S_CHUNKED = 4; // chunked body, framed by the ChunkedDecoder
const S_END_PENDING_BODY = 5; // the body is complete; onMessageComplete not yet delivered
const S_DEAD = 6;

// Phases of the unfinished-line check.
const P_METHOD = 0;
const P_TARGET_FIRST = 1;
const P_TARGET = 2;
const P_VERSION = 3;
const P_FIRST = 4;
const P_NAME = 5;
const P_VALUE = 6;
const P_AFTER_CR = 7;

// A version is exactly `HTTP/1.1` or `HTTP/1.0` (RFC 9112 2.3; other majors are refused).
const VERSION_PREFIX = Buffer.from("HTTP/1.");

// Buffer#latin1Slice: the fastest bytes -> string for header text (Node's own http uses it).
type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string };
function latin1(buffer: Buffer, start: number, end: number): string {
  return (buffer as Latin1Buffer).latin1Slice(start, end);
}

function equalsIgnoreCase(value: string, lower: string): boolean {
  return value.length === lower.length && value.toLowerCase() === lower;
}

function hasToken(list: string, token: string): boolean {
  // A comma-separated list of tokens (Connection); compared case-insensitively.
  let start = 0;
  while (start <= list.length) {
    let end = list.indexOf(",", start);
    if (end < 0) end = list.length;
    if (equalsIgnoreCase(list.slice(start, end).trim(), token)) return true;
    start = end + 1;
  }
  return false;
}

/**
 * One parser per connection; feed it with execute() and it calls the handler.
 */
export class HTTP1Parser {
  readonly maxHeaderSize: number;
  maxBodySize: number;
  readonly chunkSize: number;
  /** Where execute() stopped in the buffer it was given (for detach and pausing). */
  position = 0;

  #state = S_START;
  #handler: HTTP1ParserHandler;
  // Head accumulation when a head spans packets.
  #head: Buffer | null = null;
  #headLength = 0;
  #lineStart = 0; // in the current head source
  #headSize = 0; // bytes of head consumed before the current source
  // Incremental check of the unfinished line, so a bad byte is refused when it arrives.
  #partialPhase = 0;
  #partialOffset = 0;
  // The message being parsed.
  #startLine: RequestStartLine | null = null;
  #headers: HTTPHeaders | null = null;
  #contentLength = -1;
  #transferEncoding: string | null = null;
  #hostCount = 0;
  #connection: string | null = null;
  #expect: string | null = null;
  #upgrade = false;
  // Body.
  #remaining = 0; // Content-Length bytes still to come
  #chunked: ChunkedDecoder | null = null; // made on the first chunked body

  constructor(handler: HTTP1ParserHandler, options: HTTP1ParserOptions = {}) {
    this.#handler = handler;
    this.maxHeaderSize = options.maxHeaderSize ?? 65536;
    this.maxBodySize = options.maxBodySize ?? 104857600;
    this.chunkSize = options.chunkSize ?? 65536;
  }

  /** True between messages (nothing of the next request has been read). */
  get idle(): boolean {
    return this.#state === S_START;
  }

  /** True once a parse error has been raised; the parser accepts nothing more. */
  get dead(): boolean {
    return this.#state === S_DEAD;
  }

  /** True while reading a message body. */
  get inBody(): boolean {
    return this.#state >= S_BODY && this.#state < S_DEAD;
  }

  /** Stops the parser for good (after an error, a close or a detach). */
  kill(): void {
    this.#state = S_DEAD;
    this.#head = null;
  }

  /**
   * Parses `data` from `offset`; returns the offset where it stopped: `data.length`, or earlier
   * when a handler callback asked to pause. Throws HTTPInputError on malformed input.
   */
  execute(data: Buffer, offset = 0): number {
    let pos = offset;
    const length = data.length;
    try {
      while (pos < length) {
        switch (this.#state) {
          case S_START: {
            const c = data[pos]!;
            if (c === CR) {
              this.#state = S_START_LF;
              pos++;
              continue;
            }
            this.#beginHead();
            this.#state = S_HEAD;
            this.#lineStart = pos;
            this.#headSize = -pos;
            this.#partialPhase = P_METHOD;
            this.#partialOffset = 0;
            continue;
          }
          case S_START_LF:
            if (data[pos] !== LF) throw new HTTPInputError("Malformed HTTP request line: CR without LF");
            pos++;
            this.#state = S_START;
            continue;
          case S_HEAD: {
            const result = this.#parseHead(data, pos);
            if (result < 0) return length; // head incomplete, all input consumed
            pos = result;
            this.position = pos;
            if (this.#finishHead()) return pos;
            continue;
          }
          case S_BODY: {
            const available = length - pos;
            let take = this.#remaining < available ? this.#remaining : available;
            if (take > this.chunkSize) take = this.chunkSize;
            const chunk = data.subarray(pos, pos + take);
            pos += take;
            this.#remaining -= take;
            this.position = pos;
            // After the last slice, completion is delivered next (or on resume after a pause).
            if (this.#remaining === 0) this.#state = S_END_PENDING_BODY;
            if (this.#handler.onBody(chunk)) return pos;
            continue;
          }
          case S_CHUNKED: {
            const decoder = this.#chunked!;
            if (decoder.inData) {
              const available = length - pos;
              let take = decoder.remaining < available ? decoder.remaining : available;
              if (take > this.chunkSize) take = this.chunkSize;
              const chunk = data.subarray(pos, pos + take);
              pos += take;
              decoder.consumed(take);
              this.position = pos;
              if (this.#handler.onBody(chunk)) return pos;
              continue;
            }
            pos = decoder.framing(data, pos, this.maxBodySize, this.maxHeaderSize);
            if (decoder.done) {
              this.#state = S_START;
              this.position = pos;
              if (this.#complete()) return pos;
            }
            continue;
          }
          case S_END_PENDING_BODY:
            this.#state = S_START;
            this.position = pos;
            if (this.#complete()) return pos;
            continue;
          default: // S_DEAD
            return length;
        }
      }
      // Zero-length bodies and completions at the very end of the input.
      if (this.#state === S_END_PENDING_BODY) {
        this.#state = S_START;
        this.position = pos;
        this.#complete();
      }
      this.position = pos;
      return pos;
    } catch (error) {
      this.kill();
      throw error;
    }
  }

  /** Delivers a completion left pending by a pause after the last body slice. */
  resumePending(): boolean {
    if (this.#state !== S_END_PENDING_BODY) return false;
    this.#state = S_START;
    return this.#complete();
  }

  #beginHead(): void {
    this.#startLine = null;
    this.#headers = null;
    this.#contentLength = -1;
    this.#transferEncoding = null;
    this.#hostCount = 0;
    this.#connection = null;
    this.#expect = null;
    this.#upgrade = false;
  }

  #complete(): boolean {
    return this.#handler.onMessageComplete();
  }

  // Parses head lines from `data` (or the gathered head). Returns the offset just past the
  // head's final CRLF in `data`, or -1 when more input is needed.
  #parseHead(data: Buffer, pos: number): number {
    let source = data;
    let base = 0; // offset of data[0] inside source
    if (this.#head !== null) {
      // Append (bounded) to the gathered head and parse from there.
      const room = this.maxHeaderSize + 4 - this.#headLength;
      const take = Math.min(room, data.length - pos);
      if (this.#headLength + take > this.#head.length) {
        const grown = Buffer.allocUnsafe(Math.min(Math.max(this.#head.length * 2, this.#headLength + take), this.maxHeaderSize + 4));
        this.#head.copy(grown, 0, 0, this.#headLength);
        this.#head = grown;
      }
      data.copy(this.#head, this.#headLength, pos, pos + take);
      base = this.#headLength - pos;
      this.#headLength += take;
      source = this.#head;
    }
    const end = this.#head !== null ? this.#headLength : data.length;
    let lineStart = this.#lineStart;
    for (;;) {
      const lf = source.indexOf(LF, lineStart);
      if (lf < 0 || lf >= end) break;
      if (lf === lineStart || source[lf - 1] !== CR) throw new HTTPInputError("Malformed HTTP message: bare LF line ending");
      const lineEnd = lf - 1; // the CR
      if (this.#startLine === null) {
        if (lineEnd - lineStart > this.maxHeaderSize) throw new HTTPURITooLongError("Request line too long");
        this.#parseRequestLine(source, lineStart, lineEnd);
      } else if (lineEnd === lineStart) {
        // Empty line: end of the head.
        if (this.#headSize + lf + 1 > this.maxHeaderSize + 2) throw new HTTPHeadersTooLargeError("Request headers too large");
        const next = lf + 1 - base;
        this.#head = null;
        this.#headLength = 0;
        return next;
      } else {
        this.#parseHeaderLine(source, lineStart, lineEnd);
      }
      lineStart = lf + 1;
      this.#partialPhase = P_FIRST;
      this.#partialOffset = 0;
      if (this.#headSize + lineStart > this.maxHeaderSize + 2) {
        throw new HTTPHeadersTooLargeError("Request headers too large");
      }
    }
    // Incomplete: check the unfinished line and the limit, then keep the partial head.
    this.#checkPartialLine(source, lineStart, end);
    const size = this.#headSize + end;
    if (size > this.maxHeaderSize + 2) {
      if (this.#startLine === null) throw new HTTPURITooLongError("Request line too long");
      throw new HTTPHeadersTooLargeError("Request headers too large");
    }
    if (this.#head === null) {
      const partial = end - lineStart;
      const head = Buffer.allocUnsafe(Math.min(Math.max(1024, partial * 2), this.maxHeaderSize + 4));
      data.copy(head, 0, lineStart, end);
      this.#head = head;
      this.#headLength = partial;
      this.#headSize += lineStart;
      this.#lineStart = 0;
    } else {
      this.#lineStart = lineStart;
    }
    return -1;
  }

  // Validates the bytes of an unfinished line not yet checked (the same rules as the full-line
  // parsers below, one byte at a time), so that `GET / HTTP/5.6` or a bare CR is refused at once
  // rather than when (if ever) the line's LF arrives.
  #checkPartialLine(source: Buffer, lineStart: number, end: number): void {
    let phase = this.#partialPhase;
    let offset = this.#partialOffset;
    for (let i = lineStart + offset; i < end; i++, offset++) {
      const c = source[i]!;
      switch (phase) {
        case P_METHOD:
          if (c === SP && offset > 0) phase = P_TARGET_FIRST;
          else if (TOKEN[c] !== 1) throw new HTTPInputError("Malformed HTTP request line");
          break;
        case P_TARGET_FIRST:
        case P_TARGET:
          if (c === SP && phase === P_TARGET) {
            phase = P_VERSION;
            this.#partialVersion = 0;
          } else if (TARGET[c] !== 1) {
            throw new HTTPInputError("Malformed HTTP request line");
          } else {
            phase = P_TARGET;
          }
          break;
        case P_VERSION: {
          const v = this.#partialVersion++;
          if (v < 7 ? c !== VERSION_PREFIX[v] : v === 7 ? c !== 0x30 && c !== 0x31 : c !== CR) {
            throw new HTTPInputError("Malformed HTTP version in HTTP Request-Line");
          }
          if (v === 8) phase = P_AFTER_CR;
          break;
        }
        case P_FIRST:
          if (c === SP || c === HTAB) throw new HTTPInputError("Malformed HTTP message: obs-fold is not allowed");
          if (c === CR) phase = P_AFTER_CR;
          else if (TOKEN[c] === 1) phase = P_NAME;
          else throw new HTTPInputError("Invalid header name");
          break;
        case P_NAME:
          if (c === COLON) phase = P_VALUE;
          else if (TOKEN[c] !== 1) throw new HTTPInputError("Invalid header name");
          break;
        case P_VALUE:
          if (c === CR) phase = P_AFTER_CR;
          else if (FIELD_VALUE[c] !== 1) throw new HTTPInputError("Invalid header value");
          break;
        default:
          // Something other than LF after a CR.
          throw new HTTPInputError("Malformed HTTP message: bare CR");
      }
    }
    this.#partialPhase = phase;
    this.#partialOffset = offset;
  }

  #partialVersion = 0;

  // RFC 9112 3: request-line = method SP request-target SP HTTP-version
  #parseRequestLine(buffer: Buffer, start: number, end: number): void {
    let i = start;
    while (i < end && TOKEN[buffer[i]!] === 1) i++;
    if (i === start || i >= end || buffer[i] !== SP) throw new HTTPInputError("Malformed HTTP request line");
    const methodEnd = i;
    const targetStart = ++i;
    while (i < end && TARGET[buffer[i]!] === 1) i++;
    if (i === targetStart || i >= end || buffer[i] !== SP) throw new HTTPInputError("Malformed HTTP request line");
    const targetEnd = i;
    i++;
    if (
      end - i !== 8 ||
      buffer[i] !== 0x48 || // H
      buffer[i + 1] !== 0x54 || // T
      buffer[i + 2] !== 0x54 || // T
      buffer[i + 3] !== 0x50 || // P
      buffer[i + 4] !== 0x2f || // /
      buffer[i + 5] !== 0x31 || // 1
      buffer[i + 6] !== 0x2e || // .
      (buffer[i + 7] !== 0x31 && buffer[i + 7] !== 0x30)
    ) {
      throw new HTTPInputError("Malformed HTTP version in HTTP Request-Line");
    }
    this.#startLine = new RequestStartLine(
      latin1(buffer, start, methodEnd),
      latin1(buffer, targetStart, targetEnd),
      buffer[i + 7] === 0x31 ? "HTTP/1.1" : "HTTP/1.0",
    );
    this.#headers = new HTTPHeaders();
  }

  // RFC 9112 5: field-line = field-name ":" OWS field-value OWS
  #parseHeaderLine(buffer: Buffer, start: number, end: number): void {
    const first = buffer[start]!;
    if (first === SP || first === HTAB) throw new HTTPInputError("Malformed HTTP message: obs-fold is not allowed");
    let i = start;
    while (i < end && TOKEN[buffer[i]!] === 1) i++;
    if (i === start || i >= end || buffer[i] !== COLON) {
      throw new HTTPInputError(
        i < end && buffer[i] !== COLON && buffer[i] !== SP && buffer[i] !== HTAB
          ? "Invalid header name"
          : i >= end
            ? "Malformed HTTP message: no colon in header line"
            : "Invalid header name",
      );
    }
    const nameEnd = i;
    i++;
    while (i < end && (buffer[i] === SP || buffer[i] === HTAB)) i++;
    const valueStart = i;
    let valueEnd = end;
    while (valueEnd > valueStart && (buffer[valueEnd - 1] === SP || buffer[valueEnd - 1] === HTAB)) valueEnd--;
    for (let j = valueStart; j < valueEnd; j++) {
      if (FIELD_VALUE[buffer[j]!] === 0) throw new HTTPInputError("Invalid header value");
    }
    const name = normalizeHeaderName(latin1(buffer, start, nameEnd));
    const value = latin1(buffer, valueStart, valueEnd);
    this.#headers!._addTrusted(name, value);
    switch (name) {
      case "Content-Length":
        this.#addContentLength(value);
        break;
      case "Transfer-Encoding":
        this.#transferEncoding = this.#transferEncoding === null ? value : `${this.#transferEncoding},${value}`;
        break;
      case "Host":
        this.#hostCount++;
        break;
      case "Connection":
        this.#connection = this.#connection === null ? value : `${this.#connection},${value}`;
        break;
      case "Expect":
        this.#expect = value;
        break;
      case "Upgrade":
        this.#upgrade = true;
        break;
    }
  }

  // RFC 9112 6.3: Content-Length = 1*DIGIT; a list of identical values may be collapsed.
  #addContentLength(value: string): void {
    let parsed = -1;
    let start = 0;
    while (start <= value.length) {
      let end = value.indexOf(",", start);
      if (end < 0) end = value.length;
      const item = value.slice(start, end).trim();
      if (item.length === 0 || item.length > 16) {
        throw new HTTPInputError(item.length === 0 ? "Only integer Content-Length is allowed" : "Content-Length too long");
      }
      let number = 0;
      for (let i = 0; i < item.length; i++) {
        const c = item.charCodeAt(i);
        if (c < 0x30 || c > 0x39) throw new HTTPInputError("Only integer Content-Length is allowed");
        number = number * 10 + (c - 0x30);
      }
      if (parsed >= 0 && parsed !== number) throw new HTTPInputError("Multiple unequal Content-Lengths");
      parsed = number;
      start = end + 1;
    }
    if (this.#contentLength >= 0 && this.#contentLength !== parsed) {
      throw new HTTPInputError("Multiple unequal Content-Lengths");
    }
    this.#contentLength = parsed;
  }

  // Decides framing (RFC 9112 6.1-6.3) and hands the head over; returns the pause request.
  #finishHead(): boolean {
    const startLine = this.#startLine!;
    const headers = this.#headers!;
    const http11 = startLine.version === "HTTP/1.1";
    if (http11 && this.#hostCount !== 1) {
      throw new HTTPInputError(this.#hostCount === 0 ? "Missing Host header" : "Multiple Host headers");
    }
    if (this.#hostCount === 1) checkHost(headers.get("Host")!);
    let bodyLength = this.#contentLength < 0 ? 0 : this.#contentLength;
    if (this.#transferEncoding !== null) {
      if (!http11) throw new HTTPInputError("Transfer-Encoding is not allowed in HTTP/1.0");
      if (this.#contentLength >= 0) {
        throw new HTTPInputError("Message with both Transfer-Encoding and Content-Length");
      }
      if (!equalsIgnoreCase(this.#transferEncoding.trim(), "chunked")) {
        throw new HTTPInputError(`Unsupported Transfer-Encoding ${this.#transferEncoding}`);
      }
      bodyLength = -1;
    }
    const connection = this.#connection;
    let keepAlive: boolean;
    if (http11) keepAlive = connection === null || !hasToken(connection, "close");
    else keepAlive = connection !== null && hasToken(connection, "keep-alive") && !hasToken(connection, "close");
    const framing: RequestFraming = {
      bodyLength,
      keepAlive,
      expectContinue: this.#expect !== null && equalsIgnoreCase(this.#expect, "100-continue"),
      upgrade: this.#upgrade && connection !== null && hasToken(connection, "upgrade"),
    };
    if (bodyLength === -1) {
      this.#state = S_CHUNKED;
      (this.#chunked ??= new ChunkedDecoder()).reset();
    } else if (bodyLength > 0) {
      this.#state = S_BODY;
      this.#remaining = bodyLength;
    } else {
      this.#state = S_END_PENDING_BODY;
    }
    this.#head = null;
    this.#declaredLength = bodyLength;
    // The limit is checked after onHeaders, which may raise it for this request (Tornado:
    // set_max_body_size from headers_received); a pausing owner calls checkBodyLength itself.
    const pause = this.#handler.onHeaders(startLine, headers, framing);
    if (!pause) this.checkBodyLength();
    return pause;
  }

  #declaredLength = 0;

  /** Throws HTTPBodyTooLargeError when the current message's Content-Length exceeds maxBodySize. */
  checkBodyLength(): void {
    if (this.#declaredLength > this.maxBodySize) {
      this.kill();
      throw new HTTPBodyTooLargeError("Content-Length too long");
    }
  }

}

// Tornado 6.5: a Host must be uri-host [ ":" port ] characters; no comma (two Hosts joined).
export function checkHost(host: string): void {
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    if (c > 0x7f || HOST_TABLE[c] === 0) throw new HTTPInputError("Invalid Host header");
  }
}
