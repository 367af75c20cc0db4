/**
 * StreamResponseWriter: the output side of one HTTP/2 stream. It sends the head (`respond`,
 * or `additionalHeaders` for 1xx), checks the body against the declared Content-Length as
 * HTTP1Connection does (none for HEAD, 0 for 204 and 304), and turns the stream's buffer into
 * the Promise flow control of HTTPConnection.write: settled at once while the stream is under
 * its high-water mark, else when it drains (rejected with StreamClosedError if it closes
 * first). The counterpart of OutputBatch and frameResponse.
 */

import * as http2 from "node:http2";
import { StreamClosedError } from "@tornado/ioloop";
import { HTTPOutputError, type HTTPHeaders } from "@tornado/httputil";
import { RESOLVED } from "@tornado/util";
import { HTTP2UnsupportedError } from "../errors";
import { parseOutgoingContentLength } from "../response-head";
import { toResponseHeaders } from "./response-headers";

const { NGHTTP2_INTERNAL_ERROR } = http2.constants;

const noop = (): void => {};

interface Drain {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class StreamResponseWriter {
  readonly #stream: http2.ServerHttp2Stream;
  readonly #head: boolean;
  #expectedRemaining = -1; // -1: not checked
  #drain: Drain | null = null;

  /** @param head the request is a HEAD: the body the application writes is dropped */
  constructor(stream: http2.ServerHttp2Stream, head: boolean) {
    this.#stream = stream;
    this.#head = head;
  }

  /** Sends a 1xx head (not 101, which HTTP/2 does not have). */
  informational(code: number, headers: HTTPHeaders): void {
    if (code === 101) throw new HTTP2UnsupportedError("101 Switching Protocols does not exist in HTTP/2");
    try {
      this.#stream.additionalHeaders(toResponseHeaders(code, headers));
    } catch (error) {
      throw this.#refused(error);
    }
  }

  /** Sends the final head and, when given, the first body chunk. */
  head(code: number, headers: HTTPHeaders, chunk: Buffer | string | undefined): Promise<void> {
    if (!this.#head) {
      if (code === 204 || code === 304) this.#expectedRemaining = 0;
      else if (headers.has("Content-Length")) {
        try {
          this.#expectedRemaining = parseOutgoingContentLength(headers.get("Content-Length")!);
        } catch (error) {
          this.#reset();
          throw error;
        }
      }
    }
    try {
      this.#stream.respond(toResponseHeaders(code, headers));
    } catch (error) {
      throw this.#refused(error);
    }
    return chunk === undefined || chunk.length === 0 ? RESOLVED : this.body(chunk);
  }

  // node:http2 validates what it sends (names, values, status 200-599, single-value fields):
  // what it refuses is the application's error.
  #refused(error: unknown): HTTPOutputError {
    this.#reset();
    return new HTTPOutputError(`Invalid response head: ${(error as Error).message}`, { cause: error });
  }

  /**
   * Writes a body chunk (not empty). Text goes to the stream as it is: node encodes it as
   * UTF-8 on its way to nghttp2, which saves a Buffer per response.
   */
  body(data: Buffer | string): Promise<void> {
    // A HEAD response has no body: what the application writes (the GET body) is dropped.
    if (this.#head) return RESOLVED;
    if (this.#expectedRemaining >= 0) {
      this.#expectedRemaining -= typeof data === "string" ? Buffer.byteLength(data) : data.length;
      if (this.#expectedRemaining < 0) {
        this.#reset();
        throw new HTTPOutputError("Tried to write more data than Content-Length");
      }
    }
    if (this.#stream.write(data)) return RESOLVED;
    return this.#whenDrained();
  }

  /** Ends the response (END_STREAM); throws when fewer bytes than Content-Length were written. */
  end(): void {
    if (this.#expectedRemaining > 0) {
      const missing = this.#expectedRemaining;
      this.#reset();
      throw new HTTPOutputError(`Tried to write ${missing} bytes less than Content-Length`);
    }
    // node has ended it already for HEAD, 204 and 304.
    if (!this.#stream.writableEnded) this.#stream.end();
  }

  /** The stream closed: a pending drain wait rejects. */
  closed(): void {
    const drain = this.#drain;
    this.#drain = null;
    if (drain !== null) {
      drain.promise.catch(noop);
      drain.reject(new StreamClosedError());
    }
  }

  #whenDrained(): Promise<void> {
    if (this.#drain === null) {
      let resolve = noop;
      let reject: (error: Error) => void = noop;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.#drain = { promise, resolve, reject };
      this.#stream.once("drain", () => {
        const drain = this.#drain;
        this.#drain = null;
        drain?.resolve();
      });
    }
    return this.#drain.promise;
  }

  // The application broke its own response: the stream is reset, the connection goes on.
  #reset(): void {
    if (!this.#stream.closed) this.#stream.close(NGHTTP2_INTERNAL_ERROR);
  }
}
