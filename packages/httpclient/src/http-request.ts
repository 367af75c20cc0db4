/**
 * HTTPRequest: one request's URL and options. Options left undefined fall back to the
 * client's `defaults`, then to Tornado's defaults (see HTTP_REQUEST_DEFAULTS).
 *
 * Tornado: httpclient.HTTPRequest.
 */

import type { HTTPHeaders } from "@tornado/httputil";
import { HTTPRequestOptionError } from "./errors";

/** Writes one chunk of a streamed request body; resolves when it may be called again. */
export type BodyWriter = (chunk: Buffer | Uint8Array | string) => Promise<void>;

/** Request headers: an HTTPHeaders, or a plain object (an array value sends the header once per item). */
export type RequestHeaders = HTTPHeaders | Record<string, string | number | readonly string[]>;

/** Every option of an HTTPRequest (Tornado's keyword arguments, camelCased). */
export interface HTTPRequestOptions {
  /** HTTP method, default "GET". Unknown methods need `allowNonstandardMethods`. */
  method?: string;
  headers?: RequestHeaders;
  /** The request body; POST, PUT and PATCH need one (or a bodyProducer), other methods must not have one. */
  body?: string | Buffer | Uint8Array;
  /**
   * Streams the body: called with a write function, resolves when the body is complete. Set
   * Content-Length yourself, or the body is sent chunked. Tornado: body_producer.
   */
  bodyProducer?: (write: BodyWriter) => Promise<void> | void;
  /** Basic auth user name; the URL's own userinfo wins, as in Tornado. */
  authUsername?: string;
  /** Basic auth password, default "". */
  authPassword?: string;
  /** Only "basic" (Tornado's "digest" needs curl). */
  authMode?: "basic";
  /** Seconds to wait for the connection, default 20; 0 waits forever. */
  connectTimeout?: number;
  /** Seconds for the whole request (each redirect hop), default 20; 0 waits forever. */
  requestTimeout?: number;
  /** Sends If-Modified-Since: a Date, or seconds since the epoch. */
  ifModifiedSince?: Date | number;
  /** Follow 301/302/303/307/308 with a Location header, default true. */
  followRedirects?: boolean;
  /** How many redirects to follow at most, default 5. */
  maxRedirects?: number;
  /** User-Agent header, default "Tornado-TS/1.0" unless the headers set one. */
  userAgent?: string;
  /** Send Accept-Encoding: gzip and gunzip the answer, default true. Tornado: decompress_response. */
  decompressResponse?: boolean;
  /** Receives each body chunk as it arrives (decompressed); the response body is then empty. */
  streamingCallback?: (chunk: Buffer) => void;
  /** Receives the status line, then each header line ("Name: value\r\n"), then "\r\n". */
  headerCallback?: (line: string) => void;
  /** Verify the server's TLS certificate, default true. */
  validateCert?: boolean;
  /** CA certificates for TLS: a PEM file path, or PEM content as a Buffer. */
  caCerts?: string | Buffer;
  /** Client certificate key for TLS: a PEM file path, or PEM content as a Buffer. */
  clientKey?: string | Buffer;
  /** Client certificate for TLS: a PEM file path, or PEM content as a Buffer. */
  clientCert?: string | Buffer;
  /** Skip the method and body checks, default false. */
  allowNonstandardMethods?: boolean;
  /** HTTP proxy host (used with CONNECT); needs proxyPort. */
  proxyHost?: string;
  /** HTTP proxy port. */
  proxyPort?: number;
  /** Proxy basic auth user name. */
  proxyUsername?: string;
  /** Proxy basic auth password, default "". */
  proxyPassword?: string;
}

/** Tornado's defaults for the options a request and the client's `defaults` leave unset. */
export const HTTP_REQUEST_DEFAULTS = Object.freeze({
  method: "GET",
  connectTimeout: 20,
  requestTimeout: 20,
  followRedirects: true,
  maxRedirects: 5,
  decompressResponse: true,
  validateCert: true,
  allowNonstandardMethods: false,
});

const OPTION_TYPES: Record<keyof HTTPRequestOptions, string> = {
  method: "string",
  headers: "headers",
  body: "body",
  bodyProducer: "function",
  authUsername: "string",
  authPassword: "string",
  authMode: "authMode",
  connectTimeout: "seconds",
  requestTimeout: "seconds",
  ifModifiedSince: "date",
  followRedirects: "boolean",
  maxRedirects: "count",
  userAgent: "header",
  decompressResponse: "boolean",
  streamingCallback: "function",
  headerCallback: "function",
  validateCert: "boolean",
  caCerts: "pem",
  clientKey: "pem",
  clientCert: "pem",
  allowNonstandardMethods: "boolean",
  proxyHost: "string",
  proxyPort: "port",
  proxyUsername: "string",
  proxyPassword: "string",
};

// RFC 9110 §5.6.2 token characters, for methods and header names.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// RFC 9110 §5.5: no CR, LF or NUL in a field value.
const BAD_FIELD_VALUE = /[\r\n\0]/;

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return String(value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : typeof value;
}

function fail(option: string, expected: string, value: unknown): never {
  throw new HTTPRequestOptionError(option, `${option} must be ${expected}, got ${describe(value)}`);
}

function isHTTPHeaders(value: object): value is HTTPHeaders {
  return typeof (value as HTTPHeaders).allItems === "function";
}

function checkHeader(name: string, value: unknown): void {
  if (!TOKEN.test(name)) fail("headers", "valid header names (RFC 9110 tokens)", name);
  const values = Array.isArray(value) ? value : [value];
  for (const item of values) {
    if (typeof item !== "string" && typeof item !== "number") {
      fail("headers", `strings (header ${name})`, item);
    }
    if (BAD_FIELD_VALUE.test(String(item))) {
      fail("headers", `values without CR, LF or NUL (header ${name})`, item);
    }
  }
}

/** Checks one option's type and range; throws HTTPRequestOptionError naming it. */
function checkOption(option: keyof HTTPRequestOptions, value: unknown): void {
  switch (OPTION_TYPES[option]) {
    case "string":
      if (typeof value !== "string") fail(option, "a string", value);
      if (option === "method" && !TOKEN.test(value)) fail(option, "an HTTP method token", value);
      return;
    case "header":
      if (typeof value !== "string" || BAD_FIELD_VALUE.test(value)) {
        fail(option, "a string without CR, LF or NUL", value);
      }
      return;
    case "boolean":
      if (typeof value !== "boolean") fail(option, "a boolean", value);
      return;
    case "function":
      if (typeof value !== "function") fail(option, "a function", value);
      return;
    case "seconds":
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
        fail(option, "a finite, non-negative number of seconds", value);
      }
      return;
    case "count":
      if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
        fail(option, "a non-negative integer", value);
      }
      return;
    case "port":
      if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 65535) {
        fail(option, "an integer port from 1 to 65535", value);
      }
      return;
    case "date":
      if (value instanceof Date ? Number.isNaN(value.getTime()) : typeof value !== "number" || !Number.isFinite(value)) {
        fail(option, "a valid Date or seconds since the epoch", value);
      }
      return;
    case "pem":
      if (typeof value !== "string" && !Buffer.isBuffer(value)) fail(option, "a file path or a PEM Buffer", value);
      return;
    case "authMode":
      if (value !== "basic") fail(option, '"basic" (digest needs curl, which this port does not use)', value);
      return;
    case "body":
      if (typeof value !== "string" && !(value instanceof Uint8Array)) fail(option, "a string, Buffer or Uint8Array", value);
      return;
    case "headers":
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        fail(option, "an HTTPHeaders or a plain object", value);
      }
      if (isHTTPHeaders(value)) {
        for (const [name, item] of value.allItems()) checkHeader(name, item);
      } else {
        for (const name of Object.keys(value)) checkHeader(name, (value as Record<string, unknown>)[name]);
      }
      return;
  }
}

/**
 * Validates an options object: every key known, every value of the right type and range.
 * Undefined values are allowed (they mean "use the default").
 */
export function validateRequestOptions(options: object, where = "options"): void {
  if (typeof options !== "object" || options === null) {
    throw new HTTPRequestOptionError(where, `${where} must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    const value = (options as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (key === "url" && options instanceof HTTPRequest) continue;
    if (!Object.prototype.hasOwnProperty.call(OPTION_TYPES, key)) {
      throw new HTTPRequestOptionError(key, `unknown request option ${JSON.stringify(key)}`);
    }
    checkOption(key as keyof HTTPRequestOptions, value);
  }
  const { proxyHost, proxyPort } = options as HTTPRequestOptions;
  if ((proxyHost === undefined) !== (proxyPort === undefined)) {
    throw new HTTPRequestOptionError(
      proxyHost === undefined ? "proxyHost" : "proxyPort",
      "proxyHost and proxyPort must be given together",
    );
  }
}

/** Parses and checks a request URL: absolute, http or https. */
export function parseRequestUrl(url: unknown): URL {
  if (typeof url !== "string") fail("url", "a string", url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new HTTPRequestOptionError("url", `url must be an absolute http or https URL, got ${describe(url)}`, {
      cause: error,
    });
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new HTTPRequestOptionError("url", `url scheme must be http or https, got ${describe(url)}`);
  }
  return parsed;
}

// An HTTPRequest has every option as a public field (declaration merging), as in Tornado.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the constructor assigns every option
export interface HTTPRequest extends HTTPRequestOptions {}

/**
 * One HTTP request. Fields are public and may be changed before fetch(), as in Tornado;
 * the constructor validates them.
 *
 * @example new HTTPRequest("http://127.0.0.1:8888/", { method: "POST", body: "a=1", requestTimeout: 5 })
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export class HTTPRequest {
  url: string;

  /**
   * @param url absolute http or https URL
   * @param options see HTTPRequestOptions; unset options take the client's defaults
   */
  constructor(url: string, options: HTTPRequestOptions = {}) {
    parseRequestUrl(url);
    validateRequestOptions(options);
    this.url = url;
    Object.assign(this, options);
  }
}
