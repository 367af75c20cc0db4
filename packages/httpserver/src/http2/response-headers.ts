/**
 * An HTTPHeaders response head as node:http2 takes it: lower-case names, `:status`, and
 * without the HTTP/1 connection-specific fields, which RFC 9113 8.2.2 forbids (node throws
 * ERR_HTTP2_INVALID_CONNECTION_HEADERS on them). The framing is HTTP/2's own: no chunked
 * encoding, no Connection: close.
 */

import type { OutgoingHttpHeaders } from "node:http2";
import type { HTTPHeaders } from "@tornado/httputil";

/** Fields an HTTP/1 application may set that mean nothing (or something forbidden) in HTTP/2. */
const CONNECTION_SPECIFIC = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"]);

// Normalized name (`Content-Type`) -> wire name (`content-type`); bounded like the normalizer's.
const LOWER_CACHE = new Map<string, string>();
const LOWER_CACHE_LIMIT = 1000;

function lowerName(name: string): string {
  let lower = LOWER_CACHE.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    if (LOWER_CACHE.size < LOWER_CACHE_LIMIT) LOWER_CACHE.set(name, lower);
  }
  return lower;
}

/**
 * The node:http2 header object for a response with status `code`. Repeated fields are joined
 * with "," (RFC 9110 5.3), except Set-Cookie, whose values stay separate.
 */
export function toResponseHeaders(code: number, headers: HTTPHeaders): OutgoingHttpHeaders {
  const result: OutgoingHttpHeaders = { ":status": code };
  headers._forEachField((value, name) => {
    const lower = lowerName(name);
    if (CONNECTION_SPECIFIC.has(lower)) return;
    const single = typeof value === "string";
    // The one connection field HTTP/2 keeps, and only as "trailers" (RFC 9113 8.2.2).
    if (lower === "te" && (single ? value : value.join(",")).toLowerCase() !== "trailers") return;
    result[lower] = single ? value : lower === "set-cookie" ? value.slice() : value.join(",");
  });
  return result;
}
