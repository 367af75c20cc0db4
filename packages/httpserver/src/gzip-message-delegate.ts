/**
 * Decompresses `Content-Encoding: gzip` request bodies for the delegate it wraps, in slices of
 * at most chunkSize bytes, with the decompressed size bounded by maxBodySize (413 beyond it).
 * The header is renamed `X-Consumed-Content-Encoding`, as Tornado does.
 * Tornado: http1connection._GzipMessageDelegate.
 */

import * as zlib from "node:zlib";
import { HTTPInputError, type HTTPHeaders, type RequestStartLine } from "@tornado/httputil";
import { HTTPBodyTooLargeError } from "./errors";
import type { HTTPMessageDelegate } from "./interfaces";

export interface GzipMessageDelegateOptions {
  /** Largest slice handed to the wrapped delegate, bytes. */
  chunkSize: number;
  /** Decompressed bytes allowed (read when checked: a handler may raise it). */
  maxBodySize: () => number;
  /** Reports an error after finish() (the connection answers 400/413 or closes). */
  onError: (error: unknown) => void;
}

export class GzipMessageDelegate implements HTTPMessageDelegate {
  #inner: HTTPMessageDelegate;
  #options: GzipMessageDelegateOptions;
  #gunzip: zlib.Gunzip | null = null;
  #queue: Buffer[] = [];
  #total = 0;
  #error: Error | null = null;

  constructor(inner: HTTPMessageDelegate, options: GzipMessageDelegateOptions) {
    this.#inner = inner;
    this.#options = options;
  }

  headersReceived(startLine: RequestStartLine, headers: HTTPHeaders): void | Promise<void> {
    headers.set("X-Consumed-Content-Encoding", headers.get("Content-Encoding")!);
    headers.delete("Content-Encoding");
    const gunzip = zlib.createGunzip();
    gunzip.on("data", (data: Buffer) => {
      this.#total += data.length;
      if (this.#total > this.#options.maxBodySize()) {
        this.#fail(new HTTPBodyTooLargeError("decompressed body too large"));
        return;
      }
      this.#queue.push(data);
    });
    gunzip.on("error", (error: Error) => this.#fail(new HTTPInputError(`Invalid gzip body: ${error.message}`, { cause: error })));
    this.#gunzip = gunzip;
    return this.#inner.headersReceived(startLine, headers);
  }

  #fail(error: Error): void {
    if (this.#error !== null) return;
    this.#error = error;
    this.#queue = [];
    this.#gunzip?.destroy();
    const reject = this.#pendingReject;
    this.#pendingReject = null;
    if (reject !== null) reject(error);
    else if (this.#finishing) this.#options.onError(error);
  }

  #pendingReject: ((error: Error) => void) | null = null;
  #finishing = false;

  dataReceived(chunk: Buffer): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const gunzip = this.#gunzip;
      if (gunzip === null || this.#error !== null) {
        reject(this.#error ?? new HTTPInputError("Invalid gzip body"));
        return;
      }
      this.#pendingReject = reject;
      gunzip.write(chunk, () => {
        if (this.#pendingReject !== reject) return; // already rejected by #fail
        this.#pendingReject = null;
        if (this.#error !== null) reject(this.#error);
        else this.#deliver().then(resolve, reject);
      });
    });
  }

  async #deliver(): Promise<void> {
    const size = this.#options.chunkSize;
    while (this.#queue.length > 0) {
      const data = this.#queue.shift()!;
      for (let offset = 0; offset < data.length; offset += size) {
        const result = this.#inner.dataReceived(data.subarray(offset, offset + size));
        if (result !== undefined) await result;
      }
      if (this.#error !== null) throw this.#error;
    }
  }

  finish(): void {
    const gunzip = this.#gunzip;
    if (gunzip === null) {
      this.#inner.finish();
      return;
    }
    this.#finishing = true;
    if (this.#error !== null) {
      this.#options.onError(this.#error);
      return;
    }
    gunzip.once("end", () => {
      this.#deliver().then(
        () => {
          if (this.#error !== null) this.#options.onError(this.#error);
          else this.#inner.finish();
        },
        (error: unknown) => this.#options.onError(error),
      );
    });
    gunzip.end();
  }

  onConnectionClose(): void {
    this.#gunzip?.destroy();
    this.#inner.onConnectionClose();
  }
}
