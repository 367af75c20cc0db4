/**
 * The request head of an HTTP/2 stream as Tornado's HTTPConnection delivers it: the
 * pseudo-header fields give the start line (`:method`, `:path`, version "HTTP/2.0") and Host
 * (`:authority`), the other fields become HTTPHeaders.
 *
 * nghttp2 has already refused what RFC 9113 calls malformed (upper-case or invalid names,
 * connection-specific fields, CR/LF/NUL in values, missing or repeated pseudo-headers, a
 * `:path` that is neither origin-form nor `*`) with RST_STREAM(PROTOCOL_ERROR); what is left to
 * check here are HTTP/1's own stricter rules, so that a request is accepted or refused alike
 * over both protocols.
 */

import { HTTPHeaders, HTTPInputError, RequestStartLine, TARGET_CHARS, isFieldValue, normalizeHeaderName } from "@tornado/httputil";
import { HTTPHeadersTooLargeError } from "../errors";
import { checkHost } from "../http1-parser";

/** A request head read from a HEADERS frame. */
export interface HTTP2RequestHead {
  startLine: RequestStartLine;
  headers: HTTPHeaders;
  /** The Content-Length the client declared, or -1. */
  contentLength: number;
  /** `Expect: 100-continue` was sent. */
  expectContinue: boolean;
}

/** A plain CONNECT (a tunnel request: `:authority` only); see readRequestHead. */
export const CONNECT_REQUEST = "CONNECT";

function checkTarget(path: string): void {
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c > 0xff || TARGET_CHARS[c] === 0) throw new HTTPInputError("Malformed HTTP request line");
  }
}

function parseContentLength(value: string): number {
  if (value.length === 0 || value.length > 16) throw new HTTPInputError("Only integer Content-Length is allowed");
  let number = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x30 || c > 0x39) throw new HTTPInputError("Only integer Content-Length is allowed");
    number = number * 10 + (c - 0x30);
  }
  return number;
}

/**
 * Reads the head from the flat `[name, value, ...]` list node:http2 hands over (pseudo-headers
 * first, names lower-case). Returns CONNECT_REQUEST for a plain CONNECT, which has no path to
 * route; throws HTTPInputError (answered 400) for a bad value, target, Host or Content-Length,
 * and HTTPHeadersTooLargeError (431) when the header list is over `maxHeaderSize`, counted as
 * SETTINGS_MAX_HEADER_LIST_SIZE is (RFC 9113 6.5.2: name + value + 32 per field). nghttp2
 * enforces that setting itself only once the client has acknowledged it.
 */
export function readRequestHead(rawHeaders: readonly string[], maxHeaderSize: number): HTTP2RequestHead | typeof CONNECT_REQUEST {
  let method = "";
  let path = "";
  let authority: string | undefined;
  let host: string | undefined;
  let cookie: string | undefined;
  let contentLength = -1;
  let expectContinue = false;
  const headers = new HTTPHeaders();
  let size = 0;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const value = rawHeaders[i + 1]!;
    size += name.length + value.length + 32;
    if (name.charCodeAt(0) === 0x3a) {
      if (name === ":method") method = value;
      else if (name === ":path") path = value;
      else if (name === ":authority") {
        authority = value;
        // Host first, where an HTTP/1.1 client writes it.
        headers._addTrusted("Host", value);
      }
      continue;
    }
    if (!isFieldValue(value)) throw new HTTPInputError("Invalid header value");
    switch (name) {
      case "cookie":
        // RFC 9113 8.2.3: split cookie fields are joined with "; " (not ", ").
        cookie = cookie === undefined ? value : `${cookie}; ${value}`;
        continue;
      case "host":
        if (host !== undefined) throw new HTTPInputError("Multiple Host headers");
        host = value;
        if (authority !== undefined) continue;
        break;
      case "content-length":
        contentLength = parseContentLength(value);
        break;
      case "expect":
        expectContinue = value.toLowerCase() === "100-continue";
        break;
    }
    headers._addTrusted(normalizeHeaderName(name), value);
  }
  if (size > maxHeaderSize) throw new HTTPHeadersTooLargeError("Header list too large");
  if (method === "CONNECT" && path === "") return CONNECT_REQUEST;
  checkTarget(path);
  // RFC 9113 8.3.1: Host and :authority must name the same authority; either gives Host.
  if (authority !== undefined && host !== undefined && authority.toLowerCase() !== host.toLowerCase()) {
    throw new HTTPInputError("Host header differs from :authority");
  }
  const hostValue = authority ?? host;
  if (hostValue === undefined || hostValue === "") throw new HTTPInputError("Missing Host header");
  checkHost(hostValue);
  if (cookie !== undefined) headers._addTrusted("Cookie", cookie);
  return { startLine: new RequestStartLine(method, path, "HTTP/2.0"), headers, contentLength, expectContinue };
}
