/**
 * The first line of a request or a response, and their parsers.
 * Tornado: httputil.RequestStartLine, ResponseStartLine, parse_request_start_line,
 * parse_response_start_line.
 */

import { TARGET_CHARS, TOKEN_CHARS } from "./char-tables";
import { HTTPInputError } from "./errors";

/** `GET /path HTTP/1.1`. Tornado: httputil.RequestStartLine. */
export class RequestStartLine {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly version: string,
  ) {}
}

/** `HTTP/1.1 200 OK`. Tornado: httputil.ResponseStartLine. */
export class ResponseStartLine {
  constructor(
    readonly version: string,
    readonly code: number,
    readonly reason: string,
  ) {}
}

const VERSION_PATTERN = /^HTTP\/1\.[0-9]$/;

/**
 * Parses `METHOD target HTTP/1.x` (single spaces, token method, VCHAR target), as Tornado 6.5
 * does; anything else is HTTPInputError("Malformed HTTP request line").
 * Tornado: httputil.parse_request_start_line.
 */
export function parseRequestStartLine(line: string): RequestStartLine {
  const first = line.indexOf(" ");
  const second = first < 0 ? -1 : line.indexOf(" ", first + 1);
  if (first <= 0 || second <= first + 1 || line.indexOf(" ", second + 1) >= 0) {
    throw new HTTPInputError("Malformed HTTP request line");
  }
  const method = line.slice(0, first);
  const path = line.slice(first + 1, second);
  const version = line.slice(second + 1);
  for (let i = 0; i < method.length; i++) {
    const c = method.charCodeAt(i);
    if (c > 0xff || TOKEN_CHARS[c] === 0) throw new HTTPInputError("Malformed HTTP request line");
  }
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c > 0xff || TARGET_CHARS[c] === 0) throw new HTTPInputError("Malformed HTTP request line");
  }
  if (!VERSION_PATTERN.test(version)) {
    throw new HTTPInputError(`Malformed HTTP version in HTTP Request-Line: ${JSON.stringify(version)}`);
  }
  return new RequestStartLine(method, path, version);
}

const STATUS_LINE = /^(HTTP\/1\.[0-9]) ([0-9]{3})(?: ([^\r\n]*))?$/;

/**
 * Parses `HTTP/1.1 200 OK` (the reason is optional). Tornado: httputil.parse_response_start_line.
 */
export function parseResponseStartLine(line: string): ResponseStartLine {
  const match = STATUS_LINE.exec(line);
  if (match === null) throw new HTTPInputError(`Error parsing response start line ${JSON.stringify(line)}`);
  return new ResponseStartLine(match[1]!, Number(match[2]), match[3] ?? "");
}
