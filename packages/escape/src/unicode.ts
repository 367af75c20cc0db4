/**
 * Conversions between strings and UTF-8 bytes. Tornado: escape.utf8, escape.to_unicode
 * (also native_str, to_basestring), escape.recursive_unicode.
 */

import { describeValue } from "@tornado/util";
import { EscapeTypeError } from "./errors";

/**
 * Encodes a string as UTF-8 bytes; Buffers (and other Uint8Arrays, viewed as Buffers) and
 * null/undefined pass through unchanged. Any other type throws EscapeTypeError.
 * Tornado: escape.utf8.
 */
export function utf8(value: string | Uint8Array): Buffer;
export function utf8(value: null): null;
export function utf8(value: undefined): undefined;
export function utf8(value: string | Uint8Array | null | undefined): Buffer | null | undefined;
export function utf8(value: unknown): Buffer | null | undefined {
  if (typeof value === "string") return Buffer.from(value, "utf8");
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (value === null || value === undefined) return value;
  throw new EscapeTypeError(`utf8 expects a string, Buffer, null or undefined, got ${describeValue(value)}`);
}

/**
 * Decodes UTF-8 bytes to a string; strings and null/undefined pass through unchanged.
 * Invalid UTF-8 sequences become U+FFFD (Tornado raises UnicodeDecodeError instead).
 * Any other type throws EscapeTypeError. Tornado: escape.to_unicode.
 */
export function toUnicode(value: string | Uint8Array): string;
export function toUnicode(value: null): null;
export function toUnicode(value: undefined): undefined;
export function toUnicode(value: string | Uint8Array | null | undefined): string | null | undefined;
export function toUnicode(value: unknown): string | null | undefined {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("utf8");
  if (value === null || value === undefined) return value;
  throw new EscapeTypeError(`toUnicode expects a string, Buffer, null or undefined, got ${describeValue(value)}`);
}

/**
 * Walks arrays, plain objects and Maps and decodes every Buffer found (values and Map keys)
 * to a string, returning new containers; other values are returned as they are.
 * Tornado: escape.recursive_unicode (dict, list, tuple and bytes).
 */
export function recursiveUnicode<T = unknown>(value: unknown): T {
  return convert(value) as T;
}

function convert(value: unknown): unknown {
  if (value instanceof Uint8Array) return toUnicode(value);
  if (Array.isArray(value)) return value.map(convert);
  if (value instanceof Map) {
    const result = new Map<unknown, unknown>();
    for (const [key, item] of value) result.set(convert(key), convert(item));
    return result;
  }
  if (value !== null && typeof value === "object") {
    const prototype = Object.getPrototypeOf(value) as object | null;
    if (prototype !== Object.prototype && prototype !== null) return value;
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(value)) result[key] = convert((value as Record<string, unknown>)[key]);
    return result;
  }
  return value;
}
