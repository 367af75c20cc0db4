/**
 * Test helpers: a server on an ephemeral loopback port, and a raw socket client that sends
 * exact bytes and collects everything until the server closes (or goes quiet).
 */

import * as net from "node:net";
import { HTTPHeaders, ResponseStartLine } from "@tornado/httputil";
import { HTTPServer, type HTTPServerOptions, type HTTPServerRequest, type RequestCallback, type HTTPServerConnectionDelegate } from "../src/index";

export async function startServer(
  callback: RequestCallback | HTTPServerConnectionDelegate,
  options: HTTPServerOptions = {},
): Promise<{ server: HTTPServer; port: number; close: () => Promise<void> }> {
  const server = new HTTPServer(callback, options);
  await server.listen(0, "127.0.0.1");
  const port = server.boundPorts()[0]!;
  return {
    server,
    port,
    close: async () => {
      server.stop();
      for (const connection of server.connections) connection.close();
      await server.closeAllConnections();
    },
  };
}

/** Answers `body` with a Content-Length (status 200 unless given). */
export function respond(request: HTTPServerRequest, body: string | Buffer, status = 200, extra: Record<string, string> = {}): void {
  const data = typeof body === "string" ? Buffer.from(body) : body;
  const headers = new HTTPHeaders({ "Content-Length": String(data.length), ...extra });
  void request.connection!.writeHeaders(new ResponseStartLine("HTTP/1.1", status, status === 200 ? "OK" : "Status"), headers, data);
  request.connection!.finish();
}

export interface RawResult {
  data: Buffer;
  text: string;
  /** `text` without the `Date:` header lines (for exact comparisons). */
  plain: string;
  closed: boolean;
}

/** Removes `Date: ...\r\n` header lines (their value changes every second). */
export function withoutDate(text: string): string {
  return text.replace(/\r\nDate: [^\r]*(?=\r\n)/g, "");
}

/** Sends `chunks` (with `delayMs` between them) and collects until close or `idleMs` of quiet. */
export function rawRequest(port: number, chunks: Array<string | Buffer> | string | Buffer, options: { idleMs?: number; delayMs?: number } = {}): Promise<RawResult> {
  const list = Array.isArray(chunks) ? chunks : [chunks];
  const idleMs = options.idleMs ?? 500;
  return new Promise((resolve) => {
    const received: Buffer[] = [];
    let closed = false;
    let timer: NodeJS.Timeout | null = null;
    let done = false;
    const socket = net.connect(port, "127.0.0.1");
    const finish = (): void => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      socket.destroy();
      const data = Buffer.concat(received);
      const text = data.toString("latin1");
      resolve({ data, text, plain: withoutDate(text), closed });
    };
    const arm = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(finish, idleMs);
    };
    socket.on("data", (data) => {
      received.push(data);
      arm();
    });
    socket.on("error", () => {
      closed = true;
      finish();
    });
    socket.on("close", () => {
      closed = true;
      finish();
    });
    socket.on("connect", async () => {
      for (let i = 0; i < list.length; i++) {
        if (i > 0 && options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
        if (!socket.destroyed) socket.write(typeof list[i] === "string" ? Buffer.from(list[i] as string, "latin1") : (list[i] as Buffer));
      }
      arm();
    });
  });
}

export interface ParsedResponse {
  status: number;
  reason: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** Parses the responses in `data` (Content-Length, chunked or until the end; none for HEAD). */
export function parseResponses(data: Buffer, headRequests: boolean[] = []): ParsedResponse[] {
  const responses: ParsedResponse[] = [];
  let pos = 0;
  while (pos < data.length) {
    const end = data.indexOf("\r\n\r\n", pos, "latin1");
    if (end < 0) throw new Error(`unparsable response bytes: ${JSON.stringify(data.subarray(pos).toString("latin1").slice(0, 100))}`);
    const lines = data.subarray(pos, end).toString("latin1").split("\r\n");
    const match = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0]!);
    if (!match) throw new Error(`bad status line ${JSON.stringify(lines[0])}`);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).toLowerCase();
      headers[name] = headers[name] === undefined ? line.slice(colon + 1).trim() : `${headers[name]},${line.slice(colon + 1).trim()}`;
    }
    pos = end + 4;
    const status = Number(match[1]);
    if (status < 200) continue;
    let body: Buffer = Buffer.alloc(0);
    const head = headRequests[responses.length] === true;
    if (head || status === 204 || status === 304) {
      // no body
    } else if (headers["transfer-encoding"] === "chunked") {
      const parts: Buffer[] = [];
      for (;;) {
        const lineEnd = data.indexOf("\r\n", pos, "latin1");
        const size = parseInt(data.subarray(pos, lineEnd).toString("latin1"), 16);
        pos = lineEnd + 2;
        if (size === 0) {
          pos += 2;
          break;
        }
        parts.push(data.subarray(pos, pos + size));
        pos += size + 2;
      }
      body = Buffer.concat(parts);
    } else if (headers["content-length"] !== undefined) {
      const length = Number(headers["content-length"]);
      body = data.subarray(pos, pos + length);
      pos += length;
    } else {
      body = data.subarray(pos);
      pos = data.length;
    }
    responses.push({ status, reason: match[2] ?? "", headers, body });
  }
  return responses;
}

import { setLogHandler, stderrLogHandler, type LogRecord } from "@tornado/ioloop";

/** Collects log records while `fn` runs (Tornado's ExpectLog, without the assertion). */
export async function withLogs<T>(fn: () => Promise<T>): Promise<{ result: T; logs: LogRecord[] }> {
  const logs: LogRecord[] = [];
  setLogHandler((record) => logs.push(record));
  try {
    const result = await fn();
    return { result, logs };
  } finally {
    setLogHandler(stderrLogHandler);
  }
}

/** Resolves after `ms` milliseconds. */
export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
