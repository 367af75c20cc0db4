/**
 * AsyncHTTPClient: Tornado's HTTP client API on undici's pooled connections.
 *
 * Tornado: httpclient.AsyncHTTPClient (with simple_httpclient's behaviour for redirects,
 * timeouts and errors; unlike simple_httpclient, connections are kept alive and pooled).
 */

import { performance } from "node:perf_hooks";
import { HTTPHeaders } from "@tornado/httputil";
import { DispatcherPool } from "./dispatcher-pool";
import { HTTPClientClosedError, HTTPClientError, HTTPRequestOptionError } from "./errors";
import { HopHandler } from "./hop-handler";
import { HTTPRequest, validateRequestOptions, type HTTPRequestOptions } from "./http-request";
import { HTTPResponse } from "./http-response";
import { checkMethodAndBody, prepareRequest, redirectedRequest } from "./prepared-request";

/** Options of fetch() itself, beside the request's. */
export interface FetchOptions {
  /** Reject with HTTPClientError for a non-2xx answer, default true. A 599 (timeout,
   *  broken connection) always rejects, as in Tornado. */
  raiseError?: boolean;
}

export interface AsyncHTTPClientOptions {
  /** Connections per origin in each pool (requests beyond it wait), default 10. Tornado: max_clients. */
  maxClients?: number;
  /** Options applied to every request that leaves them unset. Tornado: defaults. */
  defaults?: HTTPRequestOptions;
  /** Largest response body, bytes, after decompression; default 104857600. Tornado: max_body_size. */
  maxBodySize?: number;
  /** Largest response head (status line and headers), bytes; default 65536. Tornado: max_header_size. */
  maxHeaderSize?: number;
  /**
   * Speak HTTP/2 to https servers whose ALPN chooses "h2" (undici's allowH2); default false.
   * Not in Tornado (its clients speak HTTP/1.1).
   */
  allowH2?: boolean;
}

/** Tornado's default max_body_size (= max_buffer_size), bytes. */
const DEFAULT_MAX_BODY_SIZE = 104857600;
/** Tornado's default head size limit of HTTP1Connection, bytes. */
const DEFAULT_MAX_HEADER_SIZE = 65536;

function checkSize(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new HTTPRequestOptionError(name, `${name} must be a positive integer number of bytes, got ${String(value)}`);
  }
}

export class AsyncHTTPClient {
  /** Options applied to every request that leaves them unset. Tornado: AsyncHTTPClient.defaults. */
  readonly defaults: HTTPRequestOptions;
  /** Connections per origin. Tornado: max_clients. */
  readonly maxClients: number;
  /** Largest response body in bytes, after decompression. Tornado: max_body_size. */
  readonly maxBodySize: number;
  /** Largest response head in bytes. Tornado: max_header_size. */
  readonly maxHeaderSize: number;
  readonly #pool: DispatcherPool;
  #closed = false;

  constructor(options: AsyncHTTPClientOptions = {}) {
    if (typeof options !== "object" || options === null) {
      throw new HTTPRequestOptionError("options", `AsyncHTTPClient options must be an object, got ${String(options)}`);
    }
    const {
      maxClients = 10,
      defaults = {},
      maxBodySize = DEFAULT_MAX_BODY_SIZE,
      maxHeaderSize = DEFAULT_MAX_HEADER_SIZE,
      allowH2 = false,
    } = options;
    if (!Number.isInteger(maxClients) || maxClients < 1) {
      throw new HTTPRequestOptionError("maxClients", `maxClients must be a positive integer, got ${String(maxClients)}`);
    }
    checkSize("maxBodySize", maxBodySize);
    checkSize("maxHeaderSize", maxHeaderSize);
    if (typeof allowH2 !== "boolean") {
      throw new HTTPRequestOptionError("allowH2", `allowH2 must be a boolean, got ${String(allowH2)}`);
    }
    validateRequestOptions(defaults, "defaults");
    this.maxClients = maxClients;
    this.maxBodySize = maxBodySize;
    this.maxHeaderSize = maxHeaderSize;
    this.defaults = { ...defaults };
    this.#pool = new DispatcherPool(maxClients, maxHeaderSize, allowH2);
  }

  /**
   * Fetches a URL or an HTTPRequest, following redirects. Resolves with the HTTPResponse;
   * rejects with HTTPClientError for a non-2xx code (unless `raiseError` is false), with
   * HTTPTimeoutError / HTTPStreamClosedError (code 599) when no answer came, and with
   * HTTPRequestOptionError, before sending, for bad options.
   *
   * Tornado: AsyncHTTPClient.fetch(request, raise_error=True, **kwargs).
   */
  async fetch(request: string | HTTPRequest, options?: HTTPRequestOptions & FetchOptions): Promise<HTTPResponse> {
    if (this.#closed) throw new HTTPClientClosedError();
    let raiseError = true;
    let requestOptions: HTTPRequestOptions | undefined;
    if (options !== undefined) {
      const { raiseError: raise, ...rest } = options;
      if (raise !== undefined) {
        if (typeof raise !== "boolean") {
          throw new HTTPRequestOptionError("raiseError", `raiseError must be a boolean, got ${String(raise)}`);
        }
        raiseError = raise;
      }
      requestOptions = rest;
    }
    if (typeof request === "string") {
      request = new HTTPRequest(request, requestOptions);
    } else if (request instanceof HTTPRequest) {
      if (requestOptions !== undefined && Object.values(requestOptions).some((value) => value !== undefined)) {
        throw new HTTPRequestOptionError("options", "request options can't be given with an HTTPRequest object");
      }
      // Its fields are public and may have changed since the constructor checked them.
      validateRequestOptions(request, "request");
    } else {
      throw new HTTPRequestOptionError("request", "fetch() takes a URL string or an HTTPRequest");
    }
    const startTime = Date.now() / 1000;
    const started = performance.now();
    let prepared = prepareRequest(request, this.defaults);
    checkMethodAndBody(prepared);
    for (;;) {
      const dispatcher = this.#pool.get(prepared.connection);
      let hop;
      try {
        hop = await HopHandler.send(dispatcher, prepared, this.maxBodySize);
      } catch (error) {
        if (error instanceof HTTPClientError && error.response === undefined) {
          // A 599: Tornado builds a response around it, then raises the error anyway.
          new HTTPResponse(request, {
            code: 599,
            reason: error.reason,
            headers: new HTTPHeaders(),
            effectiveUrl: prepared.urlString,
            requestTime: (performance.now() - started) / 1000,
            startTime,
            error,
          });
        }
        throw error;
      }
      if (hop.location !== undefined) {
        prepared = redirectedRequest(prepared, hop.code, hop.location);
        continue;
      }
      const code = hop.code;
      const response = new HTTPResponse(request, {
        code,
        reason: hop.reason,
        headers: hop.headers,
        body: hop.body,
        effectiveUrl: prepared.urlString,
        requestTime: (performance.now() - started) / 1000,
        startTime,
        error: code < 200 || code >= 300 ? new HTTPClientError(code, hop.reason) : undefined,
      });
      if (raiseError && response.error !== undefined) throw response.error;
      return response;
    }
  }

  /**
   * Closes the client's connection pools (idle connections at once, busy ones when their
   * request ends); fetch() rejects afterwards. Tornado: AsyncHTTPClient.close.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.close();
  }

  /** True after close(). */
  get closed(): boolean {
    return this.#closed;
  }
}
