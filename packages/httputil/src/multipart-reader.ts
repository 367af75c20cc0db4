/**
 * The one multipart/form-data parser: a state machine fed chunks (`push`) that hands out
 * events (`read`): a part's head, its body in data chunks, its end. The buffered
 * parseMultipartFormData and the streaming MultipartParser are both built on it, so both
 * follow the same rules: RFC 7578 / RFC 2046 framing with Tornado 6.5's part rules.
 */

import { MultipartError } from "./errors";
import { parseHeaderParameters } from "./header-parameters";
import { HTTPHeaders } from "./http-headers";

/** One part's head, as the reader hands it out. */
export interface MultipartPartHead {
  /** The form field name (Content-Disposition `name`, never empty). */
  readonly name: string;
  /** The file name for a file part (RFC 2231 `filename*` wins), else null (an empty filename is a field, as Tornado). */
  readonly filename: string | null;
  /** The part's Content-Type; `application/unknown` for a file without one (Tornado), `text/plain` for a field. */
  readonly contentType: string;
  readonly headers: HTTPHeaders;
}

/** What `MultipartReader.read()` hands out, in order: begin, data*, end, per part. */
export type MultipartEvent =
  | { readonly type: "begin"; readonly part: MultipartPartHead }
  /** A view of the pushed input (no copy): copy it before the input's memory is reused. */
  | { readonly type: "data"; readonly chunk: Buffer }
  | { readonly type: "end" };

/** Limits of one reader. */
export interface MultipartReaderLimits {
  /** Most parts; more is MultipartError 413. Default 100 (Tornado's ParseMultipartConfig). */
  maxParts?: number;
  /** Bytes of one part's header block; more is MultipartError 413. Default 10240 (Tornado's). */
  maxPartHeaderSize?: number;
}

// RFC 2046 5.1.1: at most 70 characters; transport padding (SP, HTAB) may follow a delimiter.
const MAX_BOUNDARY = 70;
const MAX_PADDING = 256;
const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");
const EMPTY = Buffer.alloc(0);
// Results of #delimiterLine besides an index (indexes after a CRLF are at least 2).
const CLOSE = 1;
const MORE = 0;
const NOT_A_DELIMITER = -1;
const END_EVENT: MultipartEvent = Object.freeze({ type: "end" });

const enum State {
  Start,
  Preamble,
  AfterDelimiter,
  Headers,
  Body,
  Done,
}

/**
 * The boundary of a `multipart/form-data; boundary=...` Content-Type value (the type compared
 * case-insensitively, a quoted boundary unquoted). Throws MultipartError 400 for another type
 * or a missing boundary.
 */
export function multipartBoundary(contentType: string): string {
  const [type, params] = parseHeaderParameters(contentType);
  if (type.toLowerCase() !== "multipart/form-data") {
    throw new MultipartError(400, `Invalid content type: expected multipart/form-data, got ${JSON.stringify(type)}`);
  }
  const boundary = params["boundary"];
  if (!boundary) throw new MultipartError(400, `multipart boundary not found: no boundary in ${JSON.stringify(contentType)}`);
  return boundary;
}

function checkBoundary(boundary: string): string {
  if (typeof boundary !== "string" || boundary.length === 0) {
    throw new MultipartError(400, `multipart boundary must be a non-empty string, got ${JSON.stringify(boundary)}`);
  }
  if (boundary.length >= 2 && boundary.startsWith('"') && boundary.endsWith('"')) boundary = boundary.slice(1, -1);
  if (boundary.length === 0 || boundary.length > MAX_BOUNDARY) {
    throw new MultipartError(400, `Invalid multipart/form-data: the boundary must be 1 to ${MAX_BOUNDARY} characters, got ${boundary.length}`);
  }
  return boundary;
}

/**
 * Reads multipart/form-data parts from chunks. `push(chunk)` adds input; `read()` returns the
 * next event, or null when it needs more input (or the closing delimiter was seen); `end()`
 * says the input is complete and throws unless the closing delimiter came. Malformed input
 * throws MultipartError 400, a limit 413. A preamble before the first delimiter and an
 * epilogue after the last are ignored (RFC 2046).
 *
 * @example
 * const reader = new MultipartReader("1234");
 * reader.push(body);
 * for (let event = reader.read(); event !== null; event = reader.read()) console.log(event.type);
 * reader.end();
 */
export class MultipartReader {
  readonly boundary: string;
  readonly maxParts: number;
  readonly maxPartHeaderSize: number;
  readonly #delimiter: Buffer;
  #state = State.Start;
  // Starts with CRLF so that the first delimiter looks like every later one (`\r\n--B`).
  #buffer: Buffer = CRLF;
  #parts = 0;
  // Where the search for the end of a header block resumes (bytes before it were searched).
  #headerScan = 0;

  /** @param boundary the boundary parameter (quoted or not); see multipartBoundary() for a Content-Type */
  constructor(boundary: string, limits: MultipartReaderLimits = {}) {
    this.boundary = checkBoundary(boundary);
    this.maxParts = limits.maxParts ?? 100;
    this.maxPartHeaderSize = limits.maxPartHeaderSize ?? 10240;
    this.#delimiter = Buffer.from(`\r\n--${this.boundary}`, "latin1");
  }

  /** True once the closing delimiter was read. */
  get done(): boolean {
    return this.#state === State.Done;
  }

  /** Adds input. Events for it come from read(). */
  push(chunk: Buffer): void {
    if (this.#state === State.Done || chunk.length === 0) return;
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
  }

  /** The input is complete: throws MultipartError 400 unless the closing delimiter was read. */
  end(): void {
    if (this.#state !== State.Done) throw new MultipartError(400, "Invalid multipart/form-data: no final boundary");
  }

  /** The next event, or null when more input is needed (or the body is done). */
  read(): MultipartEvent | null {
    for (;;) {
      const buffer = this.#buffer;
      switch (this.#state) {
        case State.Start: {
          // Tornado splits the body on delimiter lines and parses every non-empty piece, so
          // a body may start with a part and no delimiter. Text before the first delimiter
          // is taken as a part when it has a header block, else as a preamble (RFC 2046).
          const at = this.#findDelimiter(buffer);
          const delimiterAt = at >= 0 ? at : at === -1 ? Infinity : -at - 2;
          const headerEnd = buffer.indexOf(HEADER_END, CRLF.length);
          if (headerEnd >= 0 && headerEnd < delimiterAt) {
            this.#startPart(buffer.subarray(CRLF.length));
          } else if (at >= 0 || buffer.length > this.maxPartHeaderSize + CRLF.length) {
            this.#state = State.Preamble;
          } else {
            return null;
          }
          break;
        }
        case State.Preamble: {
          const at = this.#findDelimiter(buffer);
          if (at === -1) {
            this.#buffer = buffer.subarray(Math.max(0, buffer.length - this.#delimiter.length + 1));
            return null;
          }
          if (at < 0) {
            this.#buffer = buffer.subarray(-at - 2);
            return null;
          }
          this.#buffer = buffer.subarray(at + this.#delimiter.length);
          this.#state = State.AfterDelimiter;
          break;
        }
        case State.AfterDelimiter: {
          // Only entered after #findDelimiter checked the line.
          const line = this.#delimiterLine(buffer, 0);
          if (line === CLOSE) {
            this.#state = State.Done;
            this.#buffer = EMPTY;
            return null;
          }
          this.#startPart(buffer.subarray(line));
          break;
        }
        case State.Headers: {
          const end = buffer.indexOf(HEADER_END, this.#headerScan);
          // A part needs its header block before the next delimiter (Tornado: "missing headers").
          const region = end < 0 ? buffer : buffer.subarray(0, end + this.#delimiter.length);
          const next = region.indexOf(this.#delimiter);
          if (next >= 0 && (end < 0 || next < end)) throw new MultipartError(400, "multipart/form-data missing headers");
          if (end < 0 ? buffer.length > this.maxPartHeaderSize : end > this.maxPartHeaderSize) {
            throw new MultipartError(413, `multipart/form-data part header too large (more than ${this.maxPartHeaderSize} bytes)`);
          }
          if (end < 0) {
            this.#headerScan = Math.max(0, buffer.length - 3);
            return null;
          }
          const part = partHead(buffer.toString("utf8", 0, end));
          this.#buffer = buffer.subarray(end + 4);
          this.#state = State.Body;
          return { type: "begin", part };
        }
        case State.Body: {
          const at = this.#findDelimiter(buffer);
          if (at === 0) {
            this.#buffer = buffer.subarray(this.#delimiter.length);
            this.#state = State.AfterDelimiter;
            return END_EVENT;
          }
          // Data runs up to the delimiter, or up to what could still be the start of one.
          const dataEnd = at > 0 ? at : at === -1 ? Math.max(0, buffer.length - this.#delimiter.length + 1) : -at - 2;
          if (dataEnd === 0) return null;
          this.#buffer = buffer.subarray(dataEnd);
          return { type: "data", chunk: buffer.subarray(0, dataEnd) };
        }
        case State.Done:
          return null;
      }
    }
  }

  /** A part starts at the head of `rest`: counted against maxParts before anything of it is read. */
  #startPart(rest: Buffer): void {
    if (++this.#parts > this.maxParts) {
      throw new MultipartError(413, `multipart/form-data has too many parts (more than ${this.maxParts})`);
    }
    this.#buffer = rest;
    this.#headerScan = 0;
    this.#state = State.Headers;
  }

  /**
   * The index of the first delimiter line in `buffer` (`\r\n--B` then `--`, or transport
   * padding and CRLF); -1 when there is none; `-(i + 2)` when one starts at `i` but more bytes
   * are needed to tell. `\r\n--B` followed by other bytes is content (Tornado splits on the
   * whole line), and the search goes on after it.
   */
  #findDelimiter(buffer: Buffer): number {
    const delimiter = this.#delimiter;
    let from = 0;
    for (;;) {
      const at = buffer.indexOf(delimiter, from);
      if (at < 0) return -1;
      const line = this.#delimiterLine(buffer, at + delimiter.length);
      if (line === MORE) return -(at + 2);
      if (line !== NOT_A_DELIMITER) return at;
      from = at + 1;
    }
  }

  /**
   * What follows a delimiter, from `at`: CLOSE for `--`, the index after transport padding and
   * CRLF, MORE when more bytes are needed, NOT_A_DELIMITER for anything else.
   */
  #delimiterLine(buffer: Buffer, at: number): number {
    if (buffer.length - at < 2) return MORE;
    if (buffer[at] === 0x2d && buffer[at + 1] === 0x2d) return CLOSE;
    const limit = Math.min(buffer.length, at + MAX_PADDING);
    for (let i = at; i < limit; i++) {
      const c = buffer[i];
      if (c === 0x0d) {
        if (i + 1 >= buffer.length) return MORE;
        return buffer[i + 1] === 0x0a ? i + 2 : NOT_A_DELIMITER;
      }
      if (c !== 0x20 && c !== 0x09) return NOT_A_DELIMITER;
    }
    // Padding longer than that is not a delimiter line (and never buffered without bound).
    return limit === buffer.length ? MORE : NOT_A_DELIMITER;
  }
}


function partHead(headerText: string): MultipartPartHead {
  let headers: HTTPHeaders;
  try {
    headers = HTTPHeaders.parse(headerText);
  } catch (error) {
    throw new MultipartError(400, `Invalid multipart/form-data: ${(error as Error).message}`);
  }
  const [disposition, params] = parseHeaderParameters(headers.get("Content-Disposition") ?? "");
  // RFC 6266 4.1: the disposition type is case-insensitive (Tornado compares exactly).
  if (disposition.toLowerCase() !== "form-data") {
    throw new MultipartError(400, "Invalid multipart/form-data: each part needs Content-Disposition: form-data");
  }
  const name = params["name"];
  if (!name) throw new MultipartError(400, "multipart/form-data value missing name");
  const filename = params["filename"] ? params["filename"] : null;
  const contentType = headers.get("Content-Type") ?? (filename !== null ? "application/unknown" : "text/plain");
  return { name, filename, contentType, headers };
}
