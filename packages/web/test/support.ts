/**
 * Test support: an Application on an ephemeral loopback port (@tornado/testing's
 * HTTPTestServer, Tornado's AsyncHTTPTestCase), a node:http client with a fresh connection
 * per request (status line reason and raw header lists exposed), raw-socket requests and log
 * capture.
 */

import * as http from "node:http";
import * as net from "node:net";
import type { HTTPServer } from "@tornado/httpserver";
import { LogLevel, setLogHandler, type LogRecord } from "@tornado/ioloop";
import { HTTPTestServer } from "@tornado/testing";
import { Application, type ApplicationSettings, type RuleLike } from "@tornado/web";

export interface TestResponse {
  status: number;
  reason: string;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
  text: string;
  /** Every value of a header, in order (from the raw header list). */
  headerList(name: string): string[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test reads the fields it asserts on
  json<T = any>(): T;
}

export interface FetchOptions {
  method?: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
}

export interface TestServer {
  app: Application;
  server: HTTPServer;
  port: number;
  fetch(path: string, options?: FetchOptions): Promise<TestResponse>;
  raw(data: string | Buffer): Promise<string>;
  close(): Promise<void>;
}

export function fetchFrom(port: number, path: string, options: FetchOptions = {}): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: "127.0.0.1", port, path, method: options.method ?? "GET", headers: options.headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: response.statusCode ?? 0,
            reason: response.statusMessage ?? "",
            headers: response.headers,
            rawHeaders: response.rawHeaders,
            body,
            text: body.toString("utf8"),
            headerList(name: string) {
              const values: string[] = [];
              for (let i = 0; i < response.rawHeaders.length; i += 2) {
                if (response.rawHeaders[i].toLowerCase() === name.toLowerCase()) values.push(response.rawHeaders[i + 1]);
              }
              return values;
            },
            json() {
              return JSON.parse(body.toString("utf8"));
            },
          });
        });
      },
    );
    request.on("error", reject);
    if (options.body !== undefined) request.write(options.body);
    request.end();
  });
}

/** Sends bytes on a fresh socket and resolves with everything received until the server closes. */
export function rawRequest(port: number, data: string | Buffer, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString("latin1"));
    });
    socket.write(data);
  });
}

export async function startApp(handlers: readonly RuleLike[], settings: ApplicationSettings = {}, serverOptions: Record<string, unknown> = {}): Promise<TestServer> {
  const app = new Application(handlers, settings);
  return startServer(app, serverOptions);
}

export async function startServer(app: Application, serverOptions: Record<string, unknown> = {}): Promise<TestServer> {
  const testServer = await HTTPTestServer.start(app, { httpServerOptions: serverOptions as never });
  const port = testServer.port;
  return {
    app,
    server: testServer.httpServer,
    port,
    fetch: (path, options) => fetchFrom(port, path, options),
    raw: (data) => rawRequest(port, data),
    close: () => testServer.stop(),
  };
}

/**
 * Starts Applications on @tornado/testing's HTTPTestServer (its fetch: httpclient's
 * HTTPResponse) and stops them after each test. Call once at the top of a test file.
 */
export function testServers(): (handlers: readonly RuleLike[], settings?: ApplicationSettings) => Promise<HTTPTestServer> {
  const servers: HTTPTestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.stop()));
  });
  return async (handlers, settings = {}) => {
    const server = await HTTPTestServer.start(new Application(handlers, settings));
    servers.push(server);
    return server;
  };
}

/** A GET that does not follow redirects, through an HTTPTestServer. */
export function getWithoutRedirects(server: HTTPTestServer, path: string, headers: Record<string, string> = {}) {
  return server.fetch(path, { headers, followRedirects: false });
}

/** The Set-Cookie values of an httpclient response. */
export function setCookies(response: { headers: { getList(name: string): string[] } }): string[] {
  return response.headers.getList("Set-Cookie");
}

/** `name=value` of a Set-Cookie value, as a Cookie header sends it back. */
export function cookieHeader(setCookie: string): string {
  return setCookie.split(";")[0]!;
}

/**
 * Captures log records (Tornado's ExpectLog, minus the assertion). Records at ERROR and above
 * also go on to the previous handler, so the log guard fails the test, unless they match a
 * pattern given to expect().
 */
export class LogCapture {
  readonly records: LogRecord[] = [];
  #previous: ReturnType<typeof setLogHandler> | null = null;
  #expected: RegExp[] = [];

  start(): this {
    const previous = setLogHandler((record) => {
      this.records.push(record);
      if (record.level >= LogLevel.ERROR && !this.#expected.some((pattern) => pattern.test(record.message))) previous(record);
    });
    this.#previous = previous;
    return this;
  }

  /** Marks ERROR records matching `pattern` as meant, for the rest of the capture. */
  expect(pattern: RegExp): this {
    this.#expected.push(pattern);
    return this;
  }

  stop(): void {
    if (this.#previous !== null) setLogHandler(this.#previous);
    this.#previous = null;
  }

  matching(pattern: RegExp, level?: number): LogRecord[] {
    return this.records.filter((r) => pattern.test(r.message) && (level === undefined || r.level === level));
  }

  clear(): void {
    this.records.length = 0;
  }
}

export { LogLevel };

/** Waits until `check` returns true (polling the event loop, bounded). */
export async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not reached in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
