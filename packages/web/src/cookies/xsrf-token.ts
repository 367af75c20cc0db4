/**
 * XSRF tokens as Tornado writes and reads them, as pure functions (RequestHandler's xsrfToken
 * and checkXsrfCookie are built on these).
 *
 * v2 (default): `"2|" hex(mask) "|" hex(token XOR mask) "|" timestamp`, with 4 fresh mask bytes
 * per request so the page text differs every time (BREACH mitigation).
 * v1: `hex(token)`; when reading a version-less value that is not hex, its bytes are the token.
 */

import { randomFillSync } from "node:crypto";
import { xhtmlEscape } from "@tornado/escape";
import { ArgumentRangeError } from "@tornado/util";
import { constantTimeEqual } from "./signed-value";

/** A token read from a cookie or a submitted value. */
export interface DecodedXsrfToken {
  /** The format it was written in. */
  version: 1 | 2;
  /** The raw secret bytes (16 random bytes when made by Tornado or this port). */
  token: Buffer;
  /** Seconds since the epoch when it was made (v1 has none: the current time). */
  timestamp: number;
}

/** Options of {@link encodeXsrfToken}. */
export interface EncodeXsrfTokenOptions {
  /** 1 or 2 (the `xsrfCookieVersion` setting); default 2. */
  version?: number;
  /** The 4 mask bytes of a v2 token; default 4 fresh random bytes. For tests. */
  mask?: Buffer;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

// A synchronous crypto call for 4 random bytes per page costs more than the rest of the
// token; masks and tokens come from a pool refilled 4 KiB at a time (as randomUUID pools).
const POOL = Buffer.allocUnsafe(4096);
let poolOffset = POOL.length;

function randomFromPool(size: number): Buffer {
  if (poolOffset + size > POOL.length) {
    randomFillSync(POOL);
    poolOffset = 0;
  }
  const out = Buffer.from(POOL.subarray(poolOffset, poolOffset + size));
  poolOffset += size;
  return out;
}

/** XOR with a 4-byte key, cycled (RFC 6455 masking). Tornado: util._websocket_mask. */
export function websocketMask(mask: Buffer, data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! ^ mask[i & 3]!;
  return out;
}

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;
// Tornado reads the version with the signed-value regex, without the v1 cap at 999.
const VERSION_RE = /^([1-9][0-9]*)\|[^\n]*\n?$/;
const INT_RE = /^\s*[+-]?[0-9]+\s*$/;

function unhex(text: string): Buffer | null {
  return HEX_RE.test(text) ? Buffer.from(text, "hex") : null;
}

/**
 * Reads an XSRF cookie or submitted token; null when it cannot be read (unknown version,
 * malformed v2). `clock` gives v1 tokens their timestamp (seconds; default now).
 * Tornado: RequestHandler._decode_xsrf_token.
 */
export function decodeXsrfToken(
  value: string,
  clock: () => number = () => Date.now() / 1000,
): DecodedXsrfToken | null {
  if (typeof value !== "string") return null;
  const match = VERSION_RE.exec(value);
  if (match === null) {
    const token = unhex(value) ?? Buffer.from(value, "utf8");
    return { version: 1, token, timestamp: Math.trunc(clock()) };
  }
  if (match[1] !== "2") return null;
  const parts = value.split("|");
  if (parts.length !== 4) return null;
  const mask = unhex(parts[1]!);
  const masked = unhex(parts[2]!);
  if (mask === null || masked === null || !INT_RE.test(parts[3]!)) return null;
  if (mask.length !== 4 && masked.length > 0) return null;
  return { version: 2, token: websocketMask(mask, masked), timestamp: Number(parts[3]!.trim()) };
}

/**
 * Writes a raw token in the v2 (masked, default) or v1 form.
 * Tornado: the body of RequestHandler.xsrf_token.
 */
export function encodeXsrfToken(token: Buffer, timestamp: number, options: EncodeXsrfTokenOptions = {}): string {
  const version = options.version ?? 2;
  if (version === 1) return token.toString("hex");
  if (version !== 2) throw new ArgumentRangeError(`unknown xsrf cookie version ${String(version)}, expected 1 or 2`);
  if (!Number.isFinite(timestamp)) throw new ArgumentRangeError(`timestamp must be finite seconds, got ${timestamp}`);
  let mask: Uint8Array;
  let offset = 0;
  if (options.mask !== undefined) {
    if (options.mask.length !== 4) throw new ArgumentRangeError(`xsrf mask must be 4 bytes, got ${options.mask.length}`);
    mask = options.mask;
  } else {
    // Read the 4 mask bytes straight from the pool: no Buffer per page.
    if (poolOffset + 4 > POOL.length) {
      randomFillSync(POOL);
      poolOffset = 0;
    }
    mask = POOL;
    offset = poolOffset;
    poolOffset += 4;
  }
  let maskHex = "";
  for (let i = 0; i < 4; i++) maskHex += HEX[mask[offset + i]!];
  let maskedHex = "";
  for (let i = 0; i < token.length; i++) maskedHex += HEX[token[i]! ^ mask[offset + (i & 3)]!];
  return `2|${maskHex}|${maskedHex}|${Math.trunc(timestamp)}`;
}

/** A fresh raw token: 16 random bytes and the current time (seconds). */
export function generateXsrfToken(clock: () => number = () => Date.now() / 1000): { token: Buffer; timestamp: number } {
  return { token: randomFromPool(16), timestamp: clock() };
}

/**
 * The raw token a request should use: the one in its cookie when that decodes, otherwise a
 * new one (`fromCookie` false: the response must set the cookie).
 * Tornado: RequestHandler._get_raw_xsrf_token.
 */
export function rawXsrfToken(
  cookieValue: string | undefined | null,
  clock: () => number = () => Date.now() / 1000,
): { token: Buffer; timestamp: number; fromCookie: boolean; version: 1 | 2 | null } {
  if (cookieValue) {
    const decoded = decodeXsrfToken(cookieValue, clock);
    if (decoded !== null) return { ...decoded, fromCookie: true };
  }
  return { ...generateXsrfToken(clock), fromCookie: false, version: null };
}

/**
 * Checks a submitted token (the `_xsrf` argument or the X-Xsrftoken / X-Csrftoken header)
 * against the expected raw token. Returns null when it matches, otherwise the 403 message
 * Tornado uses. v1 and v2 forms of the same token are interchangeable.
 * Tornado: RequestHandler.check_xsrf_cookie.
 */
export function xsrfCheckFailure(submitted: string | null | undefined, expected: Buffer): string | null {
  if (!submitted) return "'_xsrf' argument missing from POST";
  const decoded = decodeXsrfToken(submitted);
  if (decoded === null || decoded.token.length === 0) return "'_xsrf' argument has invalid format";
  if (!constantTimeEqual(decoded.token, expected)) return "XSRF cookie does not match POST argument";
  return null;
}

/**
 * The hidden form field carrying the token.
 * Tornado: RequestHandler.xsrf_form_html.
 */
export function xsrfFormHtml(token: string): string {
  return `<input type="hidden" name="_xsrf" value="${xhtmlEscape(token)}"/>`;
}
