/**
 * HTTP/2 test helpers: Node's own http2 client (a real, independent HTTP/2 implementation:
 * nghttp2 on the client side) against our server, and the test certificate.
 */

import { readFileSync } from "node:fs";
import * as http2 from "node:http2";
import { join } from "node:path";

export const KEY = readFileSync(join(__dirname, "fixtures", "test-key.pem"));
export const CERT = readFileSync(join(__dirname, "fixtures", "test-cert.pem"));
export const SSL_OPTIONS = { key: KEY, cert: CERT };

export interface H2Response {
  status: number;
  headers: http2.IncomingHttpHeaders;
  /** 1xx heads received before the final one. */
  informational: number[];
  body: Buffer;
  /** The RST_STREAM code when the server reset the stream (0 = NO_ERROR after a response). */
  rstCode: number;
  /** True when the stream ended with a complete response. */
  complete: boolean;
}

/** Connects with prior knowledge (h2c) or over TLS with ALPN h2; resolves once connected. */
export function connectH2(port: number, tls = false): Promise<http2.ClientHttp2Session> {
  const session = tls
    ? http2.connect(`https://127.0.0.1:${port}`, { rejectUnauthorized: false })
    : http2.connect(`http://127.0.0.1:${port}`);
  return new Promise((resolve, reject) => {
    session.once("connect", () => {
      session.off("error", reject);
      session.on("error", () => {});
      resolve(session);
    });
    session.once("error", reject);
  });
}

/** Closes a client session and waits for its socket to close. */
export function closeH2(session: http2.ClientHttp2Session): Promise<void> {
  if (session.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    session.once("close", () => resolve());
    session.close();
  });
}

/**
 * Sends a request (`headers` without `:method` is a GET of `:path`) with an optional body and
 * resolves when the stream closes, whatever the ending (a reset resolves with rstCode).
 */
export function h2Request(
  session: http2.ClientHttp2Session,
  headers: http2.OutgoingHttpHeaders,
  body?: string | Buffer,
): Promise<H2Response> {
  const stream = session.request(headers, { endStream: body === undefined });
  return collect(stream, () => {
    if (body !== undefined) stream.end(body);
  });
}

/** Collects a client stream's response; `start` runs once the listeners are in place. */
export function collect(stream: http2.ClientHttp2Stream, start: () => void = () => {}): Promise<H2Response> {
  return new Promise((resolve) => {
    const result: H2Response = { status: 0, headers: {}, informational: [], body: Buffer.alloc(0), rstCode: 0, complete: false };
    const chunks: Buffer[] = [];
    stream.on("headers", (headers) => result.informational.push(Number(headers[":status"])));
    stream.on("response", (headers) => {
      result.status = Number(headers[":status"]);
      result.headers = headers;
    });
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => (result.complete = true));
    stream.on("error", () => {});
    stream.on("close", () => {
      result.body = Buffer.concat(chunks);
      result.rstCode = stream.rstCode ?? 0;
      resolve(result);
    });
    start();
  });
}
