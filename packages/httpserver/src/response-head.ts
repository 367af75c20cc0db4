/**
 * Pieces of a response head: the status line (pre-rendered for the standard reasons), the
 * framing of the body (chunked, close-delimited or by length) and the check of an outgoing
 * Content-Length.
 */

import { HTTPOutputError, responses, type HTTPHeaders, type RequestStartLine } from "@tornado/httputil";

const STATUS_LINES = new Map<string, string>();

const COMMON_STATUS_LINES: string[] = [];
for (const [code, reason] of Object.entries(responses)) COMMON_STATUS_LINES[Number(code)] = `HTTP/1.1 ${code} ${reason}\r\n`;

/** `HTTP/1.1 <code> <reason>\r\n`; a reason containing CR or LF is refused. */
export function statusLine(code: number, reason: string): string {
  if (reason === responses[code]) return COMMON_STATUS_LINES[code]!;
  const key = `${code} ${reason}`;
  let line = STATUS_LINES.get(key);
  if (line === undefined) {
    if (/[\r\n]/.test(reason)) throw new HTTPOutputError(`Invalid reason phrase ${JSON.stringify(reason)}`);
    line = `HTTP/1.1 ${key}\r\n`;
    if (STATUS_LINES.size < 256) STATUS_LINES.set(key, line);
  }
  return line;
}

/** Digits only (Tornado: parse_int); anything else is HTTPOutputError. */
export function parseOutgoingContentLength(value: string): number {
  let result = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x30 || c > 0x39) throw new HTTPOutputError(`Only integer Content-Length is allowed: ${value}`);
    result = result * 10 + (c - 0x30);
  }
  if (value.length === 0) throw new HTTPOutputError("Only integer Content-Length is allowed: empty");
  return result;
}

/** How a response's body is delimited on the wire. */
export interface ResponseFraming {
  /** Transfer-Encoding: chunked is written by the connection. */
  chunked: boolean;
  /** The connection closes after this response. */
  disconnect: boolean;
  /** Body bytes the application must write (Content-Length, or 0), -1 when not checked. */
  expectedLength: number;
}

/**
 * Frames the response with status `code` to `request`, setting Connection and
 * Transfer-Encoding on `headers`: chunked output for HTTP/1.1 without Content-Length or
 * Transfer-Encoding, a close-delimited body for HTTP/1.0 without a length, no body for HEAD,
 * 1xx, 204 and 304. `disconnect`: the connection already closes after this response.
 * Throws HTTPOutputError for a Content-Length that is not an integer.
 * Tornado: the framing half of HTTP1Connection.write_headers.
 */
export function frameResponse(
  request: RequestStartLine,
  keepAliveRequested: boolean,
  code: number,
  headers: HTTPHeaders,
  disconnect: boolean,
): ResponseFraming {
  const informational = code >= 100 && code < 200;
  const bodyAllowed = !informational && code !== 204 && code !== 304 && request.method !== "HEAD";
  const hasLength = headers.has("Content-Length");
  const hasEncoding = headers.has("Transfer-Encoding");
  let chunked =
    request.version === "HTTP/1.1" && !informational && code !== 204 && code !== 304 && !hasLength && !hasEncoding;
  if (!chunked && !hasLength && !hasEncoding && bodyAllowed) {
    // The body is delimited by the close (HTTP/1.0 without Content-Length).
    disconnect = true;
  }
  if (!informational) {
    if (request.version === "HTTP/1.1" && disconnect) headers.set("Connection", "close");
    else if (request.version === "HTTP/1.0" && !disconnect && keepAliveRequested) {
      headers.set("Connection", "Keep-Alive");
    }
  }
  if (chunked && request.method !== "HEAD") headers.set("Transfer-Encoding", "chunked");
  let expectedLength: number;
  if (request.method === "HEAD") {
    expectedLength = -1;
  } else if (code === 304 || code === 204 || informational) {
    expectedLength = 0;
  } else if (hasLength) {
    expectedLength = parseOutgoingContentLength(headers.get("Content-Length")!);
  } else {
    expectedLength = -1;
  }
  if (request.method === "HEAD") chunked = false;
  return { chunked, disconnect, expectedLength };
}
