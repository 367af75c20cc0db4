/**
 * @tornado/httpserver: Tornado's http1connection and httpserver (and httputil's
 * HTTPServerRequest) — a strict, fast HTTP/1.1 server with its own parser and writer, on
 * @tornado/ioloop; the shared HTTP pieces (HTTPHeaders, start lines, body arguments) are
 * @tornado/httputil's.
 *
 * @example
 * import { HTTPServer } from "@tornado/httpserver";
 * import { HTTPHeaders, ResponseStartLine } from "@tornado/httputil";
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
  HTTPURITooLongError,
  HTTP2UnavailableError,
  HTTP2UnsupportedError,
} from "./errors";
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
