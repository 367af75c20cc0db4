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

/** http.IncomingMessage for one request served by NodeContainer. */
export class ContainerRequest extends http.IncomingMessage {
  readonly #onRead: () => void;

  /**
   * @param onRead called when the listener wants more body (node's `_read`): the container
   *   resumes reading from the client
   */
  constructor(socket: ContainerSocket, startLine: RequestStartLine, headers: HTTPHeaders, onRead: () => void) {
    super(socket as unknown as net.Socket);
    this.#onRead = onRead;
    this.method = startLine.method;
    this.url = startLine.path;
    const version = startLine.version.slice(5); // "HTTP/1.1" -> "1.1"
    this.httpVersion = version;
    this.httpVersionMajor = Number(version[0]);
    this.httpVersionMinor = Number(version[2] ?? 0);
    const raw: string[] = [];
    for (const [name, value] of headers.allItems()) raw.push(name, value);
    (this as unknown as HeaderLines)._addHeaderLines(raw, raw.length);
  }

  override _read(size: number): void {
    super._read(size);
    this.#onRead();
  }
}
