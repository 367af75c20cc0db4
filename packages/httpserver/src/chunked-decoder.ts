/**
 * The chunked transfer coding of a request body (RFC 9112 7.1), as a byte-level state machine:
 * chunk-size [ chunk-ext ] CRLF, chunk-data CRLF, ..., last-chunk, trailer-section, CRLF.
 * Strict: hex digits only (at most 15), extensions as tokens or quoted strings with BWS only
 * before `;`, CRLF everywhere, trailer fields validated (and dropped). A chunk-size line over
 * 16 KiB is answered 413 (as Node does), a trailer section over maxHeaderSize 431.
 *
 * Tornado: http1connection.HTTP1Connection._read_chunked_body (which refuses extensions and
 * trailers).
 */

import { FIELD_VALUE_CHARS as FIELD_VALUE, HEX_DIGIT_VALUES as HEX_VALUE, HTTPInputError, TOKEN_CHARS as TOKEN } from "@tornado/httputil";
import { HTTPBodyTooLargeError, HTTPHeadersTooLargeError } from "./errors";

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HTAB = 0x09;
const COLON = 0x3a;
const SEMICOLON = 0x3b;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Chunk-size line (size + extensions) limit, bytes. */
const MAX_CHUNK_LINE = 16384;

const S_CHUNK_SIZE = 0;
const S_CHUNK_EXT = 1; // after ';', expecting an extension name
const S_CHUNK_EXT_NAME = 2;
const S_CHUNK_EXT_VALUE_START = 3;
const S_CHUNK_EXT_TOKEN = 4;
const S_CHUNK_EXT_QUOTED = 5;
const S_CHUNK_EXT_QUOTED_ESCAPE = 6;
const S_CHUNK_EXT_AFTER_QUOTED = 7;
const S_CHUNK_BWS = 8; // whitespace before a ';' (RFC 9112 7.1.1 BWS)
const S_CHUNK_SIZE_LF = 9;
const S_CHUNK_DATA = 10;
const S_CHUNK_DATA_CR = 11;
const S_CHUNK_DATA_LF = 12;
const S_TRAILER_START = 13; // start of a trailer line, or the final CRLF
const S_TRAILER_NAME = 14;
const S_TRAILER_VALUE = 15;
const S_TRAILER_LF = 16;
const S_END_LF = 17; // final CRLF: LF expected
const S_DONE = 18;

export class ChunkedDecoder {
  /** Bytes of the current chunk's data still to come (while inData). */
  remaining = 0;
  #state = S_CHUNK_SIZE;
  #digits = 0;
  #line = 0;
  #trailer = 0;
  #total = 0;

  /** Starts a new body. */
  reset(): void {
    this.#state = S_CHUNK_SIZE;
    this.remaining = 0;
    this.#digits = 0;
    this.#line = 0;
    this.#trailer = 0;
    this.#total = 0;
  }

  /** Chunk data is next: take up to `remaining` bytes, then call consumed(). */
  get inData(): boolean {
    return this.#state === S_CHUNK_DATA;
  }

  /** The body (and its trailer section) is complete. */
  get done(): boolean {
    return this.#state === S_DONE;
  }

  /** Records `count` bytes of chunk data taken by the caller. */
  consumed(count: number): void {
    this.remaining -= count;
    if (this.remaining === 0) this.#state = S_CHUNK_DATA_CR;
  }

  /**
   * Parses framing bytes from `pos`; returns the new position. Stops when chunk data starts
   * (inData: the caller takes `remaining` bytes and calls consumed()) or the body ends (done).
   */
  framing(data: Buffer, pos: number, maxBodySize: number, maxHeaderSize: number): number {
    const length = data.length;
    while (pos < length) {
      const c = data[pos]!;
      switch (this.#state) {
        case S_CHUNK_SIZE: {
          const digit = HEX_VALUE[c]!;
          if (digit !== 0) {
            if (++this.#digits > 15) throw new HTTPInputError("invalid chunk size: too many digits");
            this.remaining = this.remaining * 16 + (digit - 1);
          } else if (this.#digits === 0) {
            throw new HTTPInputError("invalid chunk size");
          } else if (c === CR) {
            this.#state = S_CHUNK_SIZE_LF;
          } else if (c === SEMICOLON) {
            this.#state = S_CHUNK_EXT;
          } else if (c === SP || c === HTAB) {
            this.#state = S_CHUNK_BWS;
          } else {
            throw new HTTPInputError("invalid chunk size");
          }
          break;
        }
        case S_CHUNK_BWS:
          if (c === SEMICOLON) this.#state = S_CHUNK_EXT;
          else if (c !== SP && c !== HTAB) throw new HTTPInputError("invalid chunk size");
          break;
        case S_CHUNK_EXT:
          // BWS is allowed around ';' (RFC 9112 7.1.1); spaces, tabs, then a token.
          if (c === SP || c === HTAB) break;
          if (TOKEN[c] !== 1) throw new HTTPInputError("invalid chunk extension");
          this.#state = S_CHUNK_EXT_NAME;
          break;
        case S_CHUNK_EXT_NAME:
          if (TOKEN[c] === 1) break;
          if (c === EQUALS) this.#state = S_CHUNK_EXT_VALUE_START;
          else if (c === SEMICOLON) this.#state = S_CHUNK_EXT;
          else if (c === SP || c === HTAB) this.#state = S_CHUNK_BWS;
          else if (c === CR) this.#state = S_CHUNK_SIZE_LF;
          else throw new HTTPInputError("invalid chunk extension");
          break;
        case S_CHUNK_EXT_VALUE_START:
          if (c === QUOTE) this.#state = S_CHUNK_EXT_QUOTED;
          else if (TOKEN[c] === 1) this.#state = S_CHUNK_EXT_TOKEN;
          else throw new HTTPInputError("invalid chunk extension value");
          break;
        case S_CHUNK_EXT_TOKEN:
          if (TOKEN[c] === 1) break;
          if (c === SEMICOLON) this.#state = S_CHUNK_EXT;
          else if (c === SP || c === HTAB) this.#state = S_CHUNK_BWS;
          else if (c === CR) this.#state = S_CHUNK_SIZE_LF;
          else throw new HTTPInputError("invalid chunk extension value");
          break;
        case S_CHUNK_EXT_QUOTED:
          // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
          if (c === QUOTE) this.#state = S_CHUNK_EXT_AFTER_QUOTED;
          else if (c === BACKSLASH) this.#state = S_CHUNK_EXT_QUOTED_ESCAPE;
          else if (FIELD_VALUE[c] !== 1) throw new HTTPInputError("invalid chunk extension quoted value");
          break;
        case S_CHUNK_EXT_QUOTED_ESCAPE:
          if (FIELD_VALUE[c] !== 1) throw new HTTPInputError("invalid chunk extension quoted value");
          this.#state = S_CHUNK_EXT_QUOTED;
          break;
        case S_CHUNK_EXT_AFTER_QUOTED:
          if (c === SEMICOLON) this.#state = S_CHUNK_EXT;
          else if (c === SP || c === HTAB) this.#state = S_CHUNK_BWS;
          else if (c === CR) this.#state = S_CHUNK_SIZE_LF;
          else throw new HTTPInputError("invalid chunk extension");
          break;
        case S_CHUNK_SIZE_LF:
          if (c !== LF) throw new HTTPInputError("invalid chunk size line ending");
          pos++;
          this.#line = 0;
          this.#digits = 0;
          if (this.remaining === 0) {
            this.#state = S_TRAILER_START;
            this.#trailer = 0;
          } else {
            this.#total += this.remaining;
            if (this.#total > maxBodySize) throw new HTTPBodyTooLargeError("chunked body too large");
            this.#state = S_CHUNK_DATA;
            return pos;
          }
          continue;
        case S_CHUNK_DATA_CR:
          if (c !== CR) throw new HTTPInputError("chunk data not followed by CRLF");
          this.#state = S_CHUNK_DATA_LF;
          break;
        case S_CHUNK_DATA_LF:
          if (c !== LF) throw new HTTPInputError("chunk data not followed by CRLF");
          this.#state = S_CHUNK_SIZE;
          this.remaining = 0;
          break;
        case S_TRAILER_START:
          if (c === CR) this.#state = S_END_LF;
          else if (TOKEN[c] === 1) this.#state = S_TRAILER_NAME;
          else throw new HTTPInputError("Invalid trailer field");
          break;
        case S_TRAILER_NAME:
          if (c === COLON) this.#state = S_TRAILER_VALUE;
          else if (TOKEN[c] !== 1) throw new HTTPInputError("Invalid trailer field name");
          break;
        case S_TRAILER_VALUE:
          if (c === CR) this.#state = S_TRAILER_LF;
          else if (FIELD_VALUE[c] !== 1) throw new HTTPInputError("Invalid trailer field value");
          break;
        case S_TRAILER_LF:
          if (c !== LF) throw new HTTPInputError("Invalid trailer line ending");
          this.#state = S_TRAILER_START;
          break;
        case S_END_LF:
          if (c !== LF) throw new HTTPInputError("chunked body not terminated by CRLF");
          this.#state = S_DONE;
          return pos + 1;
        default:
          return pos;
      }
      pos++;
      if (this.#state <= S_CHUNK_SIZE_LF) {
        if (++this.#line > MAX_CHUNK_LINE) throw new HTTPBodyTooLargeError("chunk extensions too large");
      } else if (this.#state >= S_TRAILER_START && ++this.#trailer > maxHeaderSize) {
        throw new HTTPHeadersTooLargeError("Trailer section too large");
      }
    }
    return pos;
  }
}
