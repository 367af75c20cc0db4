/**
 * HTTPResponse: what fetch() resolves to.
 *
 * Tornado: httpclient.HTTPResponse.
 */

import type { HTTPHeaders } from "@tornado/httputil";
import type { HTTPClientError } from "./errors";
import type { HTTPRequest } from "./http-request";

const EMPTY = Buffer.alloc(0);

/** The parts of a response, as the client builds it. */
export interface HTTPResponseInit {
  code: number;
  reason: string;
  headers: HTTPHeaders;
  body?: Buffer;
  effectiveUrl: string;
  /** Seconds from the start of fetch() to the end of the response. */
  requestTime: number;
  /** Seconds since the epoch when fetch() started. */
  startTime: number;
  error?: HTTPClientError;
}

export class HTTPResponse {
  /** The request as given to fetch() (the original one, when redirects were followed). */
  readonly request: HTTPRequest;
  /** The HTTP status code, or 599 for a network failure or timeout. */
  readonly code: number;
  /** The reason phrase sent by the server (or the standard one). */
  readonly reason: string;
  readonly headers: HTTPHeaders;
  /** The body; empty when a streamingCallback received it. */
  readonly body: Buffer;
  /** The URL of the last hop, after redirects. Tornado: effective_url. */
  readonly effectiveUrl: string;
  /** Seconds from the start of fetch() to the end of the response. Tornado: request_time. */
  readonly requestTime: number;
  /** Seconds since the epoch when fetch() started. Tornado: start_time. */
  readonly startTime: number;
  /** HTTPClientError for a non-2xx code or a 599, otherwise undefined. */
  readonly error: HTTPClientError | undefined;

  constructor(request: HTTPRequest, init: HTTPResponseInit) {
    this.request = request;
    this.code = init.code;
    this.reason = init.reason;
    this.headers = init.headers;
    this.body = init.body ?? EMPTY;
    this.effectiveUrl = init.effectiveUrl;
    this.requestTime = init.requestTime;
    this.startTime = init.startTime;
    this.error = init.error;
    if (init.error !== undefined && init.error.response === undefined) init.error.response = this;
  }

  /** The body decoded as UTF-8. */
  get text(): string {
    return this.body.toString("utf8");
  }

  /** Throws `error` if there is one. Tornado: HTTPResponse.rethrow. */
  rethrow(): void {
    if (this.error !== undefined) throw this.error;
  }

  toString(): string {
    return `HTTPResponse(code=${this.code}, reason=${JSON.stringify(this.reason)}, effectiveUrl=${JSON.stringify(this.effectiveUrl)})`;
  }
}
