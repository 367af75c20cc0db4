/**
 * @tornado/httpserver: Tornado's httputil, http1connection and httpserver — a strict, fast
 * HTTP/1.1 server with its own parser and writer, on @tornado/ioloop.
 *
 * @example
 * import { HTTPServer, HTTPHeaders, ResponseStartLine } from "@tornado/httpserver";
 * const server = new HTTPServer((request) => {
 *   const body = Buffer.from("Hello, world");
 *   const headers = new HTTPHeaders({ "Content-Length": String(body.length) });
 *   void request.connection!.writeHeaders(new ResponseStartLine("HTTP/1.1", 200, "OK"), headers, body);
 *   request.connection!.finish();
 * });
 * await server.listen(8888);
 */
export {
  HTTPSERVER_ERROR_CODES,
  HTTPBodyTooLargeError,
  HTTPHeadersTooLargeError,
  HTTPInputError,
  HTTPOutputError,
  HTTPURITooLongError,
  HTTP2UnavailableError,
  HTTP2UnsupportedError,
} from "./errors";
export { HTTPHeaders, normalizeHeaderName } from "./http-headers";
export { RequestStartLine, ResponseStartLine, parseRequestStartLine, parseResponseStartLine } from "./start-line";
export { responses } from "./responses";
export { formatTimestamp, httpDate } from "./format-timestamp";
export { urlConcat, quotePlus } from "./url-concat";
export type { UrlArguments } from "./url-concat";
export { splitHostAndPort } from "./split-host-and-port";
export { parseCookie, unquoteCookieValue } from "./parse-cookie";
export { parseHeaderParameters, encodeHeaderParameters } from "./header-parameters";
export { parseQsBytes, parseQsToArguments } from "./parse-qs-bytes";
export { HTTPFile } from "./http-file";
export { parseBodyArguments, parseMultipartFormData, setParseBodyConfig } from "./parse-body-arguments";
export type { ParseBodyConfig, ParseMultipartConfig } from "./parse-body-arguments";
export { HTTPServerRequest } from "./http-server-request";
export type { HTTPServerRequestInit } from "./http-server-request";
export type { HTTPConnection, HTTPMessageDelegate, HTTPServerConnectionDelegate } from "./interfaces";
export { HTTP1Connection } from "./http1-connection";
export type { HTTP1ConnectionParameters, HTTPConnectionContext } from "./http1-connection-parameters";
export { HTTP1ServerConnection } from "./http1-server-connection";
export { HTTPServer } from "./http-server";
export type { HTTPServerOptions } from "./http-server";
export type { HTTP2Options } from "./http2/http2-options";
export { HTTP2ServerConnection } from "./http2/http2-server-connection";
export { HTTP2StreamConnection } from "./http2/http2-stream-connection";
export type { RequestCallback } from "./request-callback-adapter";
export { resolveXHeaders } from "./xheaders";
