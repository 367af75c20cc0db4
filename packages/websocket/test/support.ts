/**
 * Test support: an Application on an ephemeral loopback port (@tornado/testing's
 * HTTPTestServer), URLs for it, a raw-socket exchange, and a close future per handler.
 */

import * as net from "node:net";
import { LogLevel, setLogHandler, type LogRecord } from "@tornado/ioloop";
import { HTTPTestServer } from "@tornado/testing";
import { Application, type ApplicationSettings, type RuleLike } from "@tornado/web";

export interface TestApp {
  app: Application;
  server: HTTPTestServer;
  port: number;
  wsUrl(path: string): string;
  httpUrl(path: string): string;
  stop(): Promise<void>;
}

export async function startApp(handlers: RuleLike[], settings: ApplicationSettings = {}): Promise<TestApp> {
  const app = new Application(handlers, settings);
  const server = await HTTPTestServer.start(app);
  return {
    app,
    server,
    port: server.port,
    wsUrl: (path) => `ws://127.0.0.1:${server.port}${path}`,
    httpUrl: (path) => `http://127.0.0.1:${server.port}${path}`,
    stop: () => server.stop(),
  };
}

/** A promise with its resolve function exposed (Tornado's Future in the close_future fixtures). */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Sends bytes on a fresh socket; resolves with what arrived until the server closed or `idleMs` passed. */
export function rawExchange(port: number, data: string | Buffer, idleMs = 500): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks));
    };
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(done, idleMs);
    };
    socket.on("connect", () => {
      socket.write(data);
      arm();
    });
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      arm();
    });
    socket.on("close", done);
    socket.on("error", (error) => {
      clearTimeout(timer);
      if (chunks.length > 0) resolve(Buffer.concat(chunks));
      else reject(error);
    });
  });
}

/**
 * Captures log records (and keeps them out of the test output) while a test runs. Records at
 * ERROR and above also go on to the previous handler, so the log guard fails the test, unless
 * they match a pattern given to expect() (Tornado's ExpectLog).
 */
export class LogCapture {
  records: LogRecord[] = [];
  #previous: ((record: LogRecord) => void) | undefined;
  #expected: RegExp[] = [];

  start(): void {
    const previous = setLogHandler((record) => {
      this.records.push(record);
      if (record.level >= LogLevel.ERROR && !this.#expected.some((pattern) => pattern.test(record.message))) previous(record);
    });
    this.#previous = previous;
  }

  /** Marks ERROR records matching `pattern` as meant (until clearExpected()). */
  expect(pattern: RegExp): void {
    this.#expected.push(pattern);
  }

  clearExpected(): void {
    this.#expected = [];
  }

  stop(): void {
    if (this.#previous !== undefined) setLogHandler(this.#previous);
    this.#previous = undefined;
  }

  messages(name?: string): string[] {
    return this.records.filter((record) => name === undefined || record.name === name).map((record) => record.message);
  }
}

export function handshakeRequest(path: string, extra: Record<string, string> = {}, omit: string[] = []): string {
  const headers: Record<string, string> = {
    Host: "127.0.0.1",
    Upgrade: "websocket",
    Connection: "Upgrade",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version": "13",
  };
  for (const name of omit) delete headers[name];
  Object.assign(headers, extra);
  return `GET ${path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("")}\r\n`;
}

/** Resolves once `predicate()` holds (polled every 5 ms), or rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${predicate.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
