/**
 * The settings of HTTPServer's HTTP/2 side, their defaults, and the Node.js version check.
 */

import type { ServerSessionOptions } from "node:http2";
import { ArgumentRangeError, ArgumentTypeError, checkPositiveInteger } from "@tornado/util";
import { HTTP2UnavailableError } from "../errors";

/** Options of `HTTPServer({ http2 })` beyond `true` (not in Tornado, which has no HTTP/2). */
export interface HTTP2Options {
  /** Streams a client may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS); default 100. */
  maxConcurrentStreams?: number;
  /**
   * Memory one session (connection) may use for frames, header tables and buffered data,
   * bytes, rounded up to whole megabytes (10^6); default 10000000. Over it, new streams are
   * refused with RST_STREAM(ENHANCE_YOUR_CALM).
   */
  maxSessionMemory?: number;
  /**
   * Receive window of each stream (SETTINGS_INITIAL_WINDOW_SIZE), bytes; default 65535: at most
   * this much request body is buffered per stream while its handler is busy.
   */
  initialWindowSize?: number;
}

/** The HTTP/2 parameters of a server, defaults applied (sizes in bytes, times in seconds). */
export interface HTTP2Parameters {
  maxConcurrentStreams: number;
  maxSessionMemory: number;
  initialWindowSize: number;
  /** From HTTPServer's maxHeaderSize: SETTINGS_MAX_HEADER_LIST_SIZE. */
  maxHeaderListSize: number;
  /** From idleConnectionTimeout: a session without open streams for this long is closed. */
  idleTimeout: number;
}

/**
 * Checks `http2` (true or HTTP2Options) and the running Node.js, and applies the defaults.
 * Throws HTTP2UnavailableError on a Node.js without the HTTP/2 fixes.
 */
export function resolveHTTP2Options(
  http2: true | HTTP2Options,
  maxHeaderListSize: number,
  idleTimeout: number,
): HTTP2Parameters {
  if (http2 === null || (http2 !== true && typeof http2 !== "object")) {
    throw new ArgumentTypeError(`http2 must be a boolean or an object of HTTP/2 options, got ${String(http2)}`);
  }
  checkHTTP2Support(process.versions.node);
  const options: HTTP2Options = http2 === true ? {} : http2;
  const maxConcurrentStreams = options.maxConcurrentStreams ?? 100;
  const maxSessionMemory = options.maxSessionMemory ?? 10_000_000;
  const initialWindowSize = options.initialWindowSize ?? 65535;
  checkPositiveInteger(maxConcurrentStreams, "http2.maxConcurrentStreams", "streams");
  checkPositiveInteger(maxSessionMemory, "http2.maxSessionMemory", "bytes");
  checkPositiveInteger(initialWindowSize, "http2.initialWindowSize", "bytes");
  if (initialWindowSize > 2 ** 31 - 1) {
    throw new ArgumentRangeError(`http2.initialWindowSize must be at most 2147483647 bytes, got ${initialWindowSize}`);
  }
  return { maxConcurrentStreams, maxSessionMemory, initialWindowSize, maxHeaderListSize, idleTimeout };
}

/**
 * Throws HTTP2UnavailableError unless `version` (e.g. "20.12.1") has
 * `http2.performServerHandshake` and the fix of CVE-2024-27983 (a CONTINUATION frame race
 * that crashes the server): Node.js 20.12.1, 21.7.2, or 22 and later.
 */
export function checkHTTP2Support(version: string): void {
  const [major = 0, minor = 0, patch = 0] = version.split(".").map((part) => Number.parseInt(part, 10));
  const supported =
    major >= 22 || (major === 21 && (minor > 7 || (minor === 7 && patch >= 2))) || (major === 20 && (minor > 12 || (minor === 12 && patch >= 1)));
  if (!supported) {
    throw new HTTP2UnavailableError(
      `HTTP/2 needs Node.js 20.12.1 or later (CVE-2024-27983, http2.performServerHandshake); this is Node.js ${version}`,
    );
  }
}

/** The options of http2.performServerHandshake for these parameters. */
export function sessionOptions(parameters: HTTP2Parameters): ServerSessionOptions {
  return {
    maxSessionMemory: Math.ceil(parameters.maxSessionMemory / 1_000_000),
    settings: {
      maxConcurrentStreams: parameters.maxConcurrentStreams,
      maxHeaderListSize: parameters.maxHeaderListSize,
      initialWindowSize: parameters.initialWindowSize,
      // No RFC 8441 extended CONNECT: browsers then open WebSockets over HTTP/1.1.
      enableConnectProtocol: false,
    },
  };
}
