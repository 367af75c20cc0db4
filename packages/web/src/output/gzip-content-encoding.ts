/**
 * Gzip for text responses (the `compressResponse` setting), as Tornado's GZipContentEncoding:
 * compressible types only, at least MIN_LENGTH bytes unless the response is streamed,
 * `Vary: Accept-Encoding` always, and streaming compression for flushed responses.
 */

import type { HTTPHeaders } from "@tornado/httputil";
import type { HTTPServerRequest } from "@tornado/httpserver";
import { GzipStream } from "./gzip-stream";

/**
 * Tornado: web.GZipContentEncoding. Active when "gzip" occurs in Accept-Encoding (Tornado's
 * substring test). A transform instance serves one response.
 */
export class GZipContentEncoding {
  /** Compressible types besides `text/*`. Tornado: GZipContentEncoding.CONTENT_TYPES. */
  static readonly CONTENT_TYPES: ReadonlySet<string> = new Set([
    "application/javascript",
    "application/x-javascript",
    "application/xml",
    "application/atom+xml",
    "application/json",
    "application/xhtml+xml",
    "image/svg+xml",
  ]);
  /** zlib level; Tornado: GZIP_LEVEL = 6. */
  static GZIP_LEVEL = 6;
  /** Bytes; a whole response shorter than this is sent as is. Tornado: MIN_LENGTH = 1024. */
  static MIN_LENGTH = 1024;

  readonly request: HTTPServerRequest;
  #gzipping: boolean;
  #stream: GzipStream | undefined;

  constructor(request: HTTPServerRequest) {
    this.request = request;
    this.#gzipping = (request.headers.get("Accept-Encoding") ?? "").includes("gzip");
  }

  /** Whether a Content-Type (parameters ignored) is worth compressing. */
  static compressibleType(contentType: string): boolean {
    const type = contentType.split(";")[0]!.trim().toLowerCase();
    return type.startsWith("text/") || GZipContentEncoding.CONTENT_TYPES.has(type);
  }

  /** Tornado: GZipContentEncoding.transform_first_chunk. */
  transformFirstChunk(
    statusCode: number,
    headers: HTTPHeaders,
    chunk: Buffer,
    finishing: boolean,
  ): [number, HTTPHeaders, Buffer] {
    addVary(headers);
    const ctor = this.constructor as typeof GZipContentEncoding;
    if (this.#gzipping) {
      this.#gzipping = worthCompressing(headers, chunk, finishing, ctor.MIN_LENGTH);
    }
    if (this.#gzipping) {
      headers.set("Content-Encoding", "gzip");
      this.#stream = new GzipStream(ctor.GZIP_LEVEL);
      chunk = this.transformChunk(chunk, finishing);
      fixContentLength(headers, chunk, finishing);
    }
    return [statusCode, headers, chunk];
  }

  /** Tornado: GZipContentEncoding.transform_chunk. */
  transformChunk(chunk: Buffer, finishing: boolean): Buffer {
    if (!this.#gzipping || this.#stream === undefined) return chunk;
    return this.#stream.write(chunk, finishing);
  }
}

/**
 * Whether a response should be compressed: a compressible Content-Type, not encoded already,
 * and (when the first chunk is the whole body) at least `minLength` bytes.
 */
export function worthCompressing(headers: HTTPHeaders, chunk: Buffer, finishing: boolean, minLength: number): boolean {
  return (
    GZipContentEncoding.compressibleType(headers.get("Content-Type") ?? "") &&
    (!finishing || chunk.length >= minLength) &&
    !headers.has("Content-Encoding")
  );
}

/**
 * Appends Accept-Encoding to Vary, as Tornado does (`", Accept-Encoding"`), unless it is
 * already listed (a precompressed static file sets it).
 */
export function addVary(headers: HTTPHeaders): void {
  const vary = headers.get("Vary");
  if (vary === undefined) headers.set("Vary", "Accept-Encoding");
  else if (!vary.split(",").some((item) => item.trim().toLowerCase() === "accept-encoding")) {
    headers.set("Vary", `${vary}, Accept-Encoding`);
  }
}

/** The body changed size: exact when it is whole, otherwise dropped (chunked framing). */
export function fixContentLength(headers: HTTPHeaders, chunk: Buffer, finishing: boolean): void {
  if (!headers.has("Content-Length")) return;
  if (finishing) headers.set("Content-Length", String(chunk.length));
  else headers.delete("Content-Length");
}
