/**
 * The settings of an HTTP/1.x connection and where it comes from.
 */

import type { ParseBodyConfig } from "@tornado/httputil";

/** Tornado: http1connection.HTTP1ConnectionParameters (times in seconds, sizes in bytes). */
export interface HTTP1ConnectionParameters {
  /** Close after every response; default false. */
  noKeepAlive?: boolean;
  /** Largest body slice handed to dataReceived, bytes; default 65536. */
  chunkSize?: number;
  /** Head (request line + headers) limit, bytes; default 65536. Over it: 431 (414 for the line). */
  maxHeaderSize?: number;
  /** Seconds a connection may wait for (or dribble) a request head, keep-alive idle time included; default 3600. */
  headerTimeout?: number;
  /** Body limit, bytes; default 104857600. Over it: 413. */
  maxBodySize?: number;
  /** Seconds allowed to read one body; default none. */
  bodyTimeout?: number;
  /** Decode `Content-Encoding: gzip` request bodies; default false. */
  decompress?: boolean;
}

/** Where a connection comes from; xheaders may change remoteIp and protocol per request. */
export interface HTTPConnectionContext {
  /** The peer's IP ("0.0.0.0" for a Unix socket). */
  remoteIp: string;
  /** "http" or "https". */
  protocol: string;
  /** The peer address as the socket gives it. */
  address: string | [string, number];
  /** IPs skipped when walking X-Forwarded-For from the right. */
  trustedDownstream?: ReadonlySet<string>;
  /** The server's limits for parsing each request's arguments (HTTPServerOptions.parseBodyConfig). */
  parseBodyConfig?: ParseBodyConfig;
}
