/**
 * @tornado/httpclient: Tornado's AsyncHTTPClient, HTTPRequest and HTTPResponse on undici's
 * pooled, kept-alive connections, with Tornado's redirect, timeout and error semantics.
 *
 * @example
 * import { AsyncHTTPClient } from "@tornado/httpclient";
 * const client = new AsyncHTTPClient({ defaults: { requestTimeout: 5 } });
 * const response = await client.fetch("http://127.0.0.1:8888/", { raiseError: false });
 * console.log(response.code, response.headers.get("Content-Type"), response.text);
 * await client.close();
 */
export { AsyncHTTPClient } from "./async-http-client";
export type { AsyncHTTPClientOptions, FetchOptions } from "./async-http-client";
export { HTTPRequest, HTTP_REQUEST_DEFAULTS } from "./http-request";
export type { BodyWriter, HTTPRequestOptions, RequestHeaders } from "./http-request";
export { HTTPResponse } from "./http-response";
export type { HTTPResponseInit } from "./http-response";
export { DEFAULT_USER_AGENT } from "./prepared-request";
export {
  HTTPCLIENT_ERROR_CODES,
  HTTPClientClosedError,
  HTTPClientError,
  HTTPRequestOptionError,
  HTTPStreamClosedError,
  HTTPTimeoutError,
} from "./errors";
