/**
 * PreparedRequest: one hop of a fetch, with every option resolved (request, then the
 * client's defaults, then Tornado's defaults) and the headers the client adds. A redirect
 * makes the next hop from the previous one, as simple_httpclient does.
 */

import type { HTTPHeaders } from "@tornado/httputil";
import type { ConnectionSettings } from "./dispatcher-pool";
import { HTTPRequestOptionError } from "./errors";
import {
  HTTP_REQUEST_DEFAULTS,
  parseRequestUrl,
  type BodyWriter,
  type HTTPRequest,
  type HTTPRequestOptions,
} from "./http-request";

/** Methods that need no allowNonstandardMethods. Tornado: _SUPPORTED_METHODS. */
const SUPPORTED_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]);
const BODY_METHODS = new Set(["POST", "PATCH", "PUT"]);
export const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);
/** Sent when neither the headers nor userAgent set one. */
export const DEFAULT_USER_AGENT = "Tornado-TS/1.0";

export interface PreparedRequest {
  url: URL;
  /** The URL as given (first hop) or as joined (redirects). Tornado: effective_url. */
  urlString: string;
  method: string;
  /** The caller's headers as a flat [name, value, ...] list (no automatic ones). */
  userHeaders: string[];
  body: string | Buffer | Uint8Array | undefined;
  bodyProducer: ((write: BodyWriter) => Promise<void> | void) | undefined;
  authUsername: string | undefined;
  authPassword: string | undefined;
  /** Milliseconds, 0 = none. */
  requestTimeoutMs: number;
  ifModifiedSince: Date | number | undefined;
  followRedirects: boolean;
  maxRedirects: number;
  userAgent: string | undefined;
  decompressResponse: boolean;
  streamingCallback: ((chunk: Buffer) => void) | undefined;
  headerCallback: ((line: string) => void) | undefined;
  allowNonstandardMethods: boolean;
  connection: ConnectionSettings;
}

function isHTTPHeaders(value: object): value is HTTPHeaders {
  return typeof (value as HTTPHeaders).allItems === "function";
}

function flattenHeaders(headers: HTTPRequestOptions["headers"]): string[] {
  const flat: string[] = [];
  if (headers === undefined) return flat;
  if (isHTTPHeaders(headers)) {
    for (const [name, value] of headers.allItems()) flat.push(name, value);
    return flat;
  }
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      for (const item of value) flat.push(name, String(item));
    } else {
      flat.push(name, String(value));
    }
  }
  return flat;
}

/** True when the flat list has a header of this lower-case name. */
export function hasHeader(flat: readonly string[], lowerName: string): boolean {
  for (let i = 0; i < flat.length; i += 2) {
    if (flat[i]!.length === lowerName.length && flat[i]!.toLowerCase() === lowerName) return true;
  }
  return false;
}

function withoutHeaders(flat: readonly string[], lowerNames: ReadonlySet<string>): string[] {
  const kept: string[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    if (!lowerNames.has(flat[i]!.toLowerCase())) kept.push(flat[i]!, flat[i + 1]!);
  }
  return kept;
}

/** Resolves a request against the client's defaults and Tornado's. */
export function prepareRequest(request: HTTPRequest, defaults: HTTPRequestOptions): PreparedRequest {
  const url = parseRequestUrl(request.url);
  const requestTimeout = request.requestTimeout ?? defaults.requestTimeout ?? HTTP_REQUEST_DEFAULTS.requestTimeout;
  return {
    url,
    urlString: request.url,
    method: request.method ?? defaults.method ?? HTTP_REQUEST_DEFAULTS.method,
    userHeaders: flattenHeaders(request.headers ?? defaults.headers),
    body: request.body ?? defaults.body,
    bodyProducer: request.bodyProducer ?? defaults.bodyProducer,
    authUsername: request.authUsername ?? defaults.authUsername,
    authPassword: request.authPassword ?? defaults.authPassword,
    requestTimeoutMs: requestTimeout * 1000,
    ifModifiedSince: request.ifModifiedSince ?? defaults.ifModifiedSince,
    followRedirects: request.followRedirects ?? defaults.followRedirects ?? HTTP_REQUEST_DEFAULTS.followRedirects,
    maxRedirects: request.maxRedirects ?? defaults.maxRedirects ?? HTTP_REQUEST_DEFAULTS.maxRedirects,
    userAgent: request.userAgent ?? defaults.userAgent,
    decompressResponse:
      request.decompressResponse ?? defaults.decompressResponse ?? HTTP_REQUEST_DEFAULTS.decompressResponse,
    streamingCallback: request.streamingCallback ?? defaults.streamingCallback,
    headerCallback: request.headerCallback ?? defaults.headerCallback,
    allowNonstandardMethods:
      request.allowNonstandardMethods ?? defaults.allowNonstandardMethods ?? HTTP_REQUEST_DEFAULTS.allowNonstandardMethods,
    connection: {
      connectTimeout: request.connectTimeout ?? defaults.connectTimeout ?? HTTP_REQUEST_DEFAULTS.connectTimeout,
      validateCert: request.validateCert ?? defaults.validateCert ?? HTTP_REQUEST_DEFAULTS.validateCert,
      caCerts: request.caCerts ?? defaults.caCerts,
      clientKey: request.clientKey ?? defaults.clientKey,
      clientCert: request.clientCert ?? defaults.clientCert,
      proxyHost: request.proxyHost ?? defaults.proxyHost,
      proxyPort: request.proxyPort ?? defaults.proxyPort,
      proxyUsername: request.proxyUsername ?? defaults.proxyUsername,
      proxyPassword: request.proxyPassword ?? defaults.proxyPassword,
    },
  };
}

/**
 * Tornado's checks before sending (simple_httpclient._HTTPConnection.run): a known method,
 * and a body exactly for POST, PUT and PATCH, unless allowNonstandardMethods.
 */
export function checkMethodAndBody(prepared: PreparedRequest): void {
  if (prepared.allowNonstandardMethods) return;
  const method = prepared.method;
  if (!SUPPORTED_METHODS.has(method)) {
    throw new HTTPRequestOptionError(
      "method",
      `unknown method ${JSON.stringify(method)} (set allowNonstandardMethods to send it)`,
    );
  }
  const bodyExpected = BODY_METHODS.has(method);
  const bodyPresent = prepared.body !== undefined || prepared.bodyProducer !== undefined;
  if (bodyExpected !== bodyPresent) {
    throw new HTTPRequestOptionError(
      "body",
      `body must ${bodyExpected ? "" : "not "}be given for method ${method} (unless allowNonstandardMethods is true)`,
    );
  }
}

/** The headers to send: the caller's, plus the ones Tornado's client adds. */
export function requestHeaders(prepared: PreparedRequest): string[] {
  const headers = prepared.userHeaders.slice();
  if (prepared.userAgent !== undefined) {
    const kept = withoutHeaders(headers, new Set(["user-agent"]));
    kept.push("User-Agent", prepared.userAgent);
    headers.length = 0;
    headers.push(...kept);
  } else if (!hasHeader(headers, "user-agent")) {
    headers.push("User-Agent", DEFAULT_USER_AGENT);
  }
  if (prepared.decompressResponse && !hasHeader(headers, "accept-encoding")) {
    headers.push("Accept-Encoding", "gzip");
  }
  if (prepared.method === "POST" && !hasHeader(headers, "content-type")) {
    headers.push("Content-Type", "application/x-www-form-urlencoded");
  }
  const url = prepared.url;
  let username: string | undefined;
  let password: string | undefined;
  if (url.username !== "" || url.password !== "") {
    username = decodeURIComponent(url.username);
    password = decodeURIComponent(url.password);
  } else if (prepared.authUsername !== undefined) {
    username = prepared.authUsername;
    password = prepared.authPassword ?? "";
  }
  if (username !== undefined) {
    const token = Buffer.from(`${username}:${password ?? ""}`).toString("base64");
    headers.push("Authorization", `Basic ${token}`);
  }
  if (prepared.ifModifiedSince !== undefined) {
    const since = prepared.ifModifiedSince;
    const date = since instanceof Date ? since : new Date(since * 1000);
    headers.push("If-Modified-Since", date.toUTCString());
  }
  return headers;
}

const ENTITY_HEADERS = new Set(["content-length", "content-type", "content-encoding", "transfer-encoding"]);
const HOST_HEADER = new Set(["host"]);
const CREDENTIAL_HEADERS = new Set(["host", "authorization", "cookie"]);

/**
 * The next hop after a redirect (Tornado: _HTTPConnection.finish): the Location joined to
 * the current URL, one redirect fewer, no Host header. A 303 (except for HEAD), or a 301/302
 * answering a POST, becomes a GET without a body; 307 and 308 keep the method and body.
 * Credentials (Authorization, Cookie, basic auth) are dropped when the origin changes
 * (Tornado 6.5.6).
 */
export function redirectedRequest(prepared: PreparedRequest, code: number, location: string): PreparedRequest {
  const url = new URL(location, prepared.url);
  const crossOrigin = url.origin !== prepared.url.origin;
  let userHeaders = withoutHeaders(prepared.userHeaders, crossOrigin ? CREDENTIAL_HEADERS : HOST_HEADER);
  const next: PreparedRequest = {
    ...prepared,
    url,
    urlString: url.href,
    maxRedirects: prepared.maxRedirects - 1,
  };
  if (crossOrigin) {
    next.authUsername = undefined;
    next.authPassword = undefined;
  }
  if ((code === 303 && prepared.method !== "HEAD") || ((code === 301 || code === 302) && prepared.method === "POST")) {
    next.method = "GET";
    next.body = undefined;
    next.bodyProducer = undefined;
    userHeaders = withoutHeaders(userHeaders, ENTITY_HEADERS);
  }
  next.userHeaders = userHeaders;
  return next;
}
