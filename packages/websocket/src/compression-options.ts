/**
 * permessage-deflate (RFC 7692) options, as Tornado's get_compression_options() returns them,
 * and their translation to `ws`'s perMessageDeflate option.
 */

import type { PerMessageDeflateOptions } from "ws";
import { WebSocketValueError } from "./errors";

/** Tornado: the dict returned by get_compression_options / websocket_connect's compression_options. */
export interface CompressionOptions {
  /** zlib level 0-9, default 6. Tornado: compression_level. */
  compressionLevel?: number;
  /** zlib memLevel 1-9, default 8. Tornado: mem_level. */
  memLevel?: number;
}

function checkRange(name: string, value: number | undefined, low: number, high: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < low || value > high)) {
    throw new WebSocketValueError(`${name} must be an integer from ${low} to ${high}, got ${String(value)}`);
  }
}

/** `ws` options for permessage-deflate; every message is compressed (threshold 0), as in Tornado. */
export function toPerMessageDeflate(options: CompressionOptions | null | undefined): PerMessageDeflateOptions | false {
  if (options === null || options === undefined) return false;
  if (typeof options !== "object") {
    throw new WebSocketValueError(`compression options must be an object or null, got ${typeof options}`);
  }
  checkRange("compressionLevel", options.compressionLevel, 0, 9);
  checkRange("memLevel", options.memLevel, 1, 9);
  return {
    threshold: 0,
    zlibDeflateOptions: { level: options.compressionLevel ?? 6, memLevel: options.memLevel ?? 8 },
  };
}
