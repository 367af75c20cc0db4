/**
 * Brotli or gzip, negotiated from Accept-Encoding with q-values (beyond Tornado, which only
 * gzips). Brotli is used for responses sent whole (the usual finish() case); a response that
 * is flushed in pieces is gzipped, since gzip streams through flushes. Same content types,
 * minimum length and Vary handling as GZipContentEncoding.
 */

import { brotliCompressSync, constants } from "node:zlib";
import type { HTTPHeaders } from "@tornado/httputil";
import type { HTTPServerRequest } from "@tornado/httpserver";
import { negotiateContentEncoding } from "./accept-encoding";
import { GzipStream } from "./gzip-stream";
import { addVary, fixContentLength, worthCompressing } from "./gzip-content-encoding";

export class CompressContentEncoding {
  /** Brotli quality 0-11; default 4 (fast enough for dynamic pages, smaller than gzip -6). */
  static BROTLI_QUALITY = 4;
  /** zlib level for gzip; default 6 as Tornado. */
  static GZIP_LEVEL = 6;
  /** Bytes; a whole response shorter than this is sent as is. Default 1024 as Tornado. */
  static MIN_LENGTH = 1024;

  readonly request: HTTPServerRequest;
  #encoding: "br" | "gzip" | undefined;
  #gzip: GzipStream | undefined;

  constructor(request: HTTPServerRequest) {
    this.request = request;
  }

  /** The coding chosen for this response ("br", "gzip") or undefined, after the first chunk. */
  get encoding(): string | undefined {
    return this.#encoding;
  }

  transformFirstChunk(
    statusCode: number,
    headers: HTTPHeaders,
    chunk: Buffer,
    finishing: boolean,
  ): [number, HTTPHeaders, Buffer] {
    addVary(headers);
    const ctor = this.constructor as typeof CompressContentEncoding;
    if (!worthCompressing(headers, chunk, finishing, ctor.MIN_LENGTH)) return [statusCode, headers, chunk];
    const accept = this.request.headers.get("Accept-Encoding");
    this.#encoding = negotiateContentEncoding(accept, finishing ? ["br", "gzip"] : ["gzip"]) as "br" | "gzip" | undefined;
    if (this.#encoding === undefined) return [statusCode, headers, chunk];
    headers.set("Content-Encoding", this.#encoding);
    if (this.#encoding === "br") {
      chunk = brotliCompressSync(chunk, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: ctor.BROTLI_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: chunk.length,
        },
      });
    } else {
      this.#gzip = new GzipStream(ctor.GZIP_LEVEL);
      chunk = this.#gzip.write(chunk, finishing);
    }
    fixContentLength(headers, chunk, finishing);
    return [statusCode, headers, chunk];
  }

  transformChunk(chunk: Buffer, finishing: boolean): Buffer {
    return this.#gzip === undefined ? chunk : this.#gzip.write(chunk, finishing);
  }
}
