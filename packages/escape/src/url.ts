/**
 * URL (percent) encoding. Tornado: escape.url_escape, escape.url_unescape.
 */

import { describeValue } from "@tornado/util";
import { EscapeTypeError } from "./errors";

// Python's quote() never escapes A-Z a-z 0-9 _ . - ~ ; quote() (plus=false) also keeps "/".
const SAFE = new Uint8Array(256);
for (let byte = 0; byte < 256; byte++) {
  const char = String.fromCharCode(byte);
  if (/[A-Za-z0-9_.\-~]/.test(char)) SAFE[byte] = 1;
}
const HEX = "0123456789ABCDEF";

/**
 * Percent-encodes a value for a URL. Strings are UTF-8 encoded first; Buffers are used as
 * they are. With `plus` (default true) a space becomes `+` and `/` is escaped (Python's
 * quote_plus); with `plus` false a space becomes `%20` and `/` is kept (Python's quote).
 * Hex digits are uppercase. Tornado: escape.url_escape.
 */
export function urlEscape(value: string | Uint8Array, plus = true): string {
  let bytes: Uint8Array;
  if (typeof value === "string") {
    // Fast path: nothing outside the safe set.
    let clean = true;
    for (let index = 0; index < value.length; index++) {
      const code = value.charCodeAt(index);
      if (code > 127 || SAFE[code] === 0) { clean = false; break; }
    }
    if (clean) return value;
    bytes = Buffer.from(value, "utf8");
  } else if (value instanceof Uint8Array) {
    bytes = value;
  } else {
    throw new EscapeTypeError(`urlEscape expects a string or Buffer, got ${describeValue(value)}`);
  }
  let result = "";
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index]!;
    if (SAFE[byte] === 1) result += String.fromCharCode(byte);
    else if (byte === 0x20 && plus) result += "+";
    else if (byte === 0x2f && !plus) result += "/";
    else result += "%" + HEX[byte >> 4] + HEX[byte & 15];
  }
  return result;
}

/** Options of urlUnescape. */
export interface UrlUnescapeOptions {
  /** Decoding of the result; null returns the raw bytes as a Buffer. Default "utf8". */
  encoding?: BufferEncoding | null;
  /** Whether `+` means a space (query strings, forms). Default true. */
  plus?: boolean;
}

function hexValue(byte: number): number {
  if (byte >= 48 && byte <= 57) return byte - 48;
  if (byte >= 65 && byte <= 70) return byte - 55;
  if (byte >= 97 && byte <= 102) return byte - 87;
  return -1;
}

/**
 * Decodes a percent-encoded value. The input (string, UTF-8 encoded, or Buffer) is unquoted
 * to bytes (a `%` not followed by two hex digits stays literal), `+` becomes a space when
 * `plus` is true (default), and the bytes are decoded with `encoding` (default "utf8",
 * invalid sequences become U+FFFD as with Python's errors="replace"); `encoding: null`
 * returns a Buffer. Tornado: escape.url_unescape.
 */
export function urlUnescape(value: string | Uint8Array, options: UrlUnescapeOptions & { encoding: null }): Buffer;
export function urlUnescape(value: string | Uint8Array, options?: UrlUnescapeOptions & { encoding?: BufferEncoding }): string;
export function urlUnescape(value: string | Uint8Array, options?: UrlUnescapeOptions): string | Buffer;
export function urlUnescape(value: string | Uint8Array, options: UrlUnescapeOptions = {}): string | Buffer {
  const encoding = options.encoding === undefined ? "utf8" : options.encoding;
  const plus = options.plus ?? true;
  let input: Buffer;
  if (typeof value === "string") input = Buffer.from(value, "utf8");
  else if (value instanceof Uint8Array) input = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  else throw new EscapeTypeError(`urlUnescape expects a string or Buffer, got ${describeValue(value)}`);
  if (encoding !== null && !Buffer.isEncoding(encoding)) {
    throw new EscapeTypeError(`urlUnescape: unknown encoding ${JSON.stringify(encoding)}`);
  }
  const output = Buffer.allocUnsafe(input.length);
  let length = 0;
  for (let index = 0; index < input.length; index++) {
    const byte = input[index]!;
    if (byte === 0x25 && index + 2 < input.length) {
      const high = hexValue(input[index + 1]!);
      const low = hexValue(input[index + 2]!);
      if (high >= 0 && low >= 0) {
        output[length++] = (high << 4) | low;
        index += 2;
        continue;
      }
    }
    output[length++] = byte === 0x2b && plus ? 0x20 : byte;
  }
  const bytes = output.subarray(0, length);
  return encoding === null ? Buffer.from(bytes) : bytes.toString(encoding);
}
