/**
 * Output transforms rewrite a response on its way out (gzip arrives with issue 6).
 * Tornado: web.OutputTransform.
 */

import type { HTTPHeaders } from "@tornado/httputil";
import type { HTTPServerRequest } from "@tornado/httpserver";

/**
 * The base transform: passes everything through. Application `transforms` takes classes;
 * one instance is made per request. Tornado: web.OutputTransform.
 */
export class OutputTransform {
  constructor(readonly request: HTTPServerRequest) {}

  /** Rewrites status, headers and the first chunk. `finishing`: this chunk is the whole body. */
  transformFirstChunk(
    statusCode: number,
    headers: HTTPHeaders,
    chunk: Buffer,
    _finishing: boolean,
  ): [number, HTTPHeaders, Buffer] {
    return [statusCode, headers, chunk];
  }

  /** Rewrites a later chunk. */
  transformChunk(chunk: Buffer, _finishing: boolean): Buffer {
    return chunk;
  }
}

/** A transform class, as the `transforms` setting lists them. */
export type OutputTransformClass = new (request: HTTPServerRequest) => OutputTransform;
