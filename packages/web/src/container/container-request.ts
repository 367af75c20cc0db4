/**
 * The `req` a request listener behind NodeContainer receives: a real http.IncomingMessage,
 * filled from the request the HTTP server already parsed (method, url, version, headers and
 * rawHeaders through node's own header rules), with the body pushed into it as it arrives.
 */

import * as http from "node:http";
import type * as net from "node:net";
import type { HTTPHeaders, RequestStartLine } from "@tornado/httputil";
import type { ContainerSocket } from "./container-socket";

// node:http's own routine: it applies node's rules for repeated headers (set-cookie as a
// list, cookie joined by "; ", the single-valued ones keep the first), which are part of
// what `req.headers` means to a Node application.
interface HeaderLines {
  _addHeaderLines(headers: string[], count: number): void;
}

/**
 * An http.IncomingMessage for one request. `onRead` is called when the listener wants more
 * body (node's `_read`), so that the container resumes reading from the client. The hook is
 * an own property: express and others replace the prototype of `req` with their own.
 */
export function createContainerRequest(
  socket: ContainerSocket,
  startLine: RequestStartLine,
  headers: HTTPHeaders,
  onRead: () => void,
): http.IncomingMessage {
  const request = new http.IncomingMessage(socket as unknown as net.Socket);
  request.method = startLine.method;
  request.url = startLine.path;
  const version = startLine.version.slice(5); // "HTTP/1.1" -> "1.1"
  request.httpVersion = version;
  request.httpVersionMajor = Number(version[0]);
  request.httpVersionMinor = Number(version[2] ?? 0);
  const raw: string[] = [];
  for (const [name, value] of headers.allItems()) raw.push(name, value);
  (request as unknown as HeaderLines)._addHeaderLines(raw, raw.length);
  const read = http.IncomingMessage.prototype._read;
  request._read = function (this: http.IncomingMessage, size: number): void {
    read.call(this, size);
    onRead();
  };
  return request;
}
