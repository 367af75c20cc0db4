/**
 * HopHandler: sends one hop of a fetch through undici's dispatcher and collects the answer.
 * It implements undici's handler interface directly (no Readable body stream in between),
 * which is what keeps the client's per-request overhead at or below undici's request().
 */

import { PassThrough } from "node:stream";
import { createGunzip, gunzip, type Gunzip } from "node:zlib";
import { HTTPHeaders } from "@tornado/httputil";
import type { Dispatcher } from "undici";
import { HTTPClientError, HTTPRequestOptionError, HTTPStreamClosedError, HTTPTimeoutError } from "./errors";
import { REDIRECT_CODES, requestHeaders, type PreparedRequest } from "./prepared-request";

/** What one hop produced. `location` is set when the hop is a redirect to follow. */
export interface HopResult {
  code: number;
  reason: string;
  headers: HTTPHeaders;
  body: Buffer;
  location: string | undefined;
}

const EMPTY = Buffer.alloc(0);

/** Maps an undici or socket error to Tornado's 599 errors; option errors stay typed. */
function clientErrorFor(error: Error): Error {
  if (error instanceof HTTPClientError || error instanceof HTTPRequestOptionError) return error;
  const code = (error as { code?: unknown }).code;
  if (code === "UND_ERR_CONNECT_TIMEOUT") return new HTTPTimeoutError("Timeout while connecting");
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") {
    return new HTTPTimeoutError("Timeout during request");
  }
  if (code === "UND_ERR_INVALID_ARG" || code === "UND_ERR_NOT_SUPPORTED") {
    return new HTTPRequestOptionError("request", `undici rejected the request: ${error.message}`, { cause: error });
  }
  return new HTTPStreamClosedError("Stream closed", error);
}

export class HopHandler {
  readonly #prepared: PreparedRequest;
  readonly #maxBodySize: number;
  #bodySize = 0;
  readonly #resolve: (result: HopResult) => void;
  readonly #reject: (error: Error) => void;
  #settled = false;
  #abort: ((reason?: Error) => void) | null = null;
  #failure: Error | null = null;
  /** An error thrown by the caller's callback or body producer: rethrown as it is. */
  #userError: unknown = undefined;
  #timer: NodeJS.Timeout | undefined;
  #bodyStream: PassThrough | undefined;

  #code = 0;
  #reason = "";
  #headers: HTTPHeaders | undefined;
  #location: string | undefined;
  #chunks: Buffer[] = [];
  #gzip = false;
  #gunzip: Gunzip | undefined;

  private constructor(
    prepared: PreparedRequest,
    maxBodySize: number,
    resolve: (result: HopResult) => void,
    reject: (error: Error) => void,
  ) {
    this.#prepared = prepared;
    this.#maxBodySize = maxBodySize;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  /** Sends the hop; resolves with its answer, rejects with a typed error. */
  static send(dispatcher: Dispatcher, prepared: PreparedRequest, maxBodySize: number): Promise<HopResult> {
    return new Promise<HopResult>((resolve, reject) => {
      const handler = new HopHandler(prepared, maxBodySize, resolve, reject);
      handler.#start(dispatcher);
    });
  }

  #start(dispatcher: Dispatcher): void {
    const prepared = this.#prepared;
    if (prepared.requestTimeoutMs > 0) {
      this.#timer = setTimeout(() => this.#fail(new HTTPTimeoutError("Timeout during request")), prepared.requestTimeoutMs);
    }
    let body: string | Buffer | Uint8Array | PassThrough | undefined = prepared.body;
    if (prepared.bodyProducer !== undefined) body = this.#produceBody(prepared.bodyProducer);
    const url = prepared.url;
    dispatcher.dispatch(
      {
        origin: url.origin,
        path: url.pathname + url.search,
        method: prepared.method as Dispatcher.HttpMethod,
        headers: requestHeaders(prepared),
        body: body ?? null,
        headersTimeout: 0,
        bodyTimeout: 0,
      },
      this as unknown as Dispatcher.DispatchHandler,
    );
  }

  #produceBody(producer: NonNullable<PreparedRequest["bodyProducer"]>): PassThrough {
    const stream = new PassThrough();
    this.#bodyStream = stream;
    const write = (chunk: Buffer | Uint8Array | string): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        if (stream.destroyed) {
          reject(new HTTPStreamClosedError("Stream closed"));
        } else if (stream.write(chunk)) {
          resolve();
        } else {
          stream.once("drain", resolve);
        }
      });
    Promise.resolve()
      .then(() => producer(write))
      .then(
        () => stream.end(),
        (error: unknown) => {
          this.#userError ??= error;
          this.#fail(error instanceof Error ? error : new Error(String(error)));
        },
      );
    return stream;
  }

  #fail(error: Error): void {
    if (this.#settled) return;
    this.#settled = true;
    clearTimeout(this.#timer);
    this.#failure = error;
    this.#abort?.(error);
    this.#bodyStream?.destroy();
    this.#gunzip?.destroy();
    this.#reject(this.#userError !== undefined ? (this.#userError as Error) : clientErrorFor(error));
  }

  #succeed(body: Buffer): void {
    if (this.#settled) return;
    this.#settled = true;
    clearTimeout(this.#timer);
    this.#resolve({
      code: this.#code,
      reason: this.#reason,
      headers: this.#headers!,
      body,
      location: this.#location,
    });
  }

  // Calls a caller's callback; a throw fails the request with that very error.
  #callUser<T>(callback: (value: T) => void, value: T): void {
    try {
      callback(value);
    } catch (error) {
      this.#userError ??= error;
      throw error;
    }
  }

  // ---- undici's handler interface ----

  onConnect(abort: (reason?: Error) => void): void {
    if (this.#settled) {
      abort(this.#failure ?? new HTTPStreamClosedError("Stream closed"));
      return;
    }
    this.#abort = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], _resume: () => void, statusText: string): boolean {
    if (statusCode < 200) return true;
    const prepared = this.#prepared;
    const headers = new HTTPHeaders();
    let location: string | undefined;
    let gzip = false;
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const name = rawHeaders[i]!.toString("latin1");
      const value = rawHeaders[i + 1]!.toString("latin1");
      headers.add(name, value);
      if (name.length === 8 && name.toLowerCase() === "location") location = value;
      else if (name.length === 16 && name.toLowerCase() === "content-encoding") gzip = value.trim().toLowerCase() === "gzip";
    }
    this.#code = statusCode;
    this.#reason = statusText;
    this.#headers = headers;
    if (prepared.followRedirects && prepared.maxRedirects > 0 && location !== undefined && REDIRECT_CODES.has(statusCode)) {
      // A redirect to follow: its body is read and dropped, its headers go to no callback.
      this.#location = location;
      return true;
    }
    if (gzip && prepared.decompressResponse && prepared.method !== "HEAD") {
      // Downstream sees the decoded body only, so the header is renamed (as Tornado's
      // _GzipMessageDelegate does).
      const encoding = headers.get("Content-Encoding")!;
      headers.delete("Content-Encoding");
      headers.add("X-Consumed-Content-Encoding", encoding);
      this.#gzip = true;
      if (prepared.streamingCallback !== undefined) this.#startGunzipStream(prepared.streamingCallback);
    }
    const headerCallback = prepared.headerCallback;
    if (headerCallback !== undefined) {
      this.#callUser(headerCallback, `HTTP/1.1 ${statusCode} ${statusText}\r\n`);
      for (const [name, value] of headers.allItems()) this.#callUser(headerCallback, `${name}: ${value}\r\n`);
      this.#callUser(headerCallback, "\r\n");
    }
    return true;
  }

  #startGunzipStream(callback: (chunk: Buffer) => void): void {
    const stream = createGunzip();
    this.#gunzip = stream;
    let decoded = 0;
    stream.on("data", (chunk: Buffer) => {
      decoded += chunk.length;
      if (decoded > this.#maxBodySize) {
        this.#fail(this.#tooLarge());
        return;
      }
      try {
        this.#callUser(callback, chunk);
      } catch (error) {
        this.#fail(error as Error);
      }
    });
    stream.on("error", (error) => this.#fail(new HTTPStreamClosedError("Malformed gzip body", error)));
    stream.on("end", () => this.#succeed(EMPTY));
  }

  #tooLarge(): HTTPStreamClosedError {
    return new HTTPStreamClosedError(`Response body larger than maxBodySize (${this.#maxBodySize} bytes)`);
  }

  onData(chunk: Buffer): boolean {
    if (this.#location !== undefined) return true;
    this.#bodySize += chunk.length;
    if (this.#bodySize > this.#maxBodySize) throw this.#tooLarge();
    if (this.#gunzip !== undefined) {
      this.#gunzip.write(chunk);
    } else if (this.#prepared.streamingCallback !== undefined && !this.#gzip) {
      this.#callUser(this.#prepared.streamingCallback, chunk);
    } else {
      this.#chunks.push(chunk);
    }
    return true;
  }

  onComplete(): void {
    if (this.#settled) return;
    if (this.#gunzip !== undefined) {
      if (this.#bodySize === 0) {
        // No body at all (204, 304): nothing to decode, and gunzip would call it truncated.
        this.#gunzip.destroy();
        this.#succeed(EMPTY);
      } else {
        this.#gunzip.end();
      }
      return;
    }
    const chunks = this.#chunks;
    const body = chunks.length === 0 ? EMPTY : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    if (!this.#gzip || body.length === 0) {
      this.#succeed(body);
      return;
    }
    gunzip(body, { maxOutputLength: this.#maxBodySize }, (error, decoded) => {
      if (error === null) this.#succeed(decoded);
      else if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") this.#fail(this.#tooLarge());
      else this.#fail(new HTTPStreamClosedError("Malformed gzip body", error));
    });
  }

  onError(error: Error): void {
    this.#abort = null; // undici has already torn the request down
    if (
      (error as { code?: unknown }).code === "UND_ERR_RES_CONTENT_LENGTH_MISMATCH" &&
      this.#headers !== undefined &&
      this.#chunks.length === 0 &&
      (this.#code === 304 || this.#code === 204)
    ) {
      // undici checks Content-Length even on a 304, which carries the length of the
      // representation and never a body (RFC 9110 §8.6); the answer is complete.
      this.#succeed(EMPTY);
      return;
    }
    this.#fail(error);
  }

  onUpgrade(): void {
    this.#fail(new HTTPStreamClosedError("Unexpected protocol upgrade"));
  }
}
