/**
 * HTTPTestServer: an Application, any HTTPServer delegate or request callback, or an
 * HTTPServer, served on an ephemeral loopback port with a client pointed at it; stop() closes
 * the server, every connection it accepted, and the client.
 * Tornado: testing.AsyncHTTPTestCase (and AsyncHTTPSTestCase with `sslOptions`).
 */

import type * as net from "node:net";
import type * as tls from "node:tls";
import {
  AsyncHTTPClient,
  type AsyncHTTPClientOptions,
  type FetchOptions,
  type HTTPRequestOptions,
  type HTTPResponse,
} from "@tornado/httpclient";
import { HTTPServer, type HTTPServerConnectionDelegate, type RequestCallback } from "@tornado/httpserver";
import { getAsyncTestTimeout } from "./async-test-timeout";
import { bindUnusedPort } from "./bind-unused-port";
import { TestingArgumentError } from "./errors";

/** What can be served: an HTTPServer, or what an HTTPServer serves. */
export type HTTPTestTarget = HTTPServer | HTTPServerConnectionDelegate | RequestCallback;

export interface HTTPTestServerOptions {
  /** Options for the HTTPServer built around a delegate (Tornado: get_httpserver_options). */
  httpServerOptions?: ConstructorParameters<typeof HTTPServer>[1];
  /** Options for the client (Tornado: get_http_client). */
  clientOptions?: AsyncHTTPClientOptions;
  /**
   * TLS options: the server is built with them, URLs use https, and the client skips
   * certificate checks unless clientOptions.defaults say otherwise (Tornado: AsyncHTTPSTestCase).
   */
  sslOptions?: tls.SecureContextOptions;
  /** Loopback address to bind, default "127.0.0.1". */
  address?: string;
}

function isHTTPServer(target: unknown): target is HTTPServer {
  return (
    typeof target === "object" &&
    target !== null &&
    typeof (target as HTTPServer).addSockets === "function" &&
    typeof (target as HTTPServer).stop === "function"
  );
}

export class HTTPTestServer {
  /** The port the server listens on. Tornado: get_http_port(). */
  readonly port: number;
  /** "http" or "https". */
  readonly protocol: "http" | "https";
  readonly httpServer: HTTPServer;
  /** The client used by fetch(); closed by stop(). Tornado: http_client. */
  readonly httpClient: AsyncHTTPClient;
  readonly #host: string;
  readonly #listener: net.Server;
  readonly #sockets = new Set<net.Socket>();
  #stopped: Promise<void> | undefined;

  private constructor(
    httpServer: HTTPServer,
    listener: net.Server,
    port: number,
    host: string,
    protocol: "http" | "https",
    httpClient: AsyncHTTPClient,
  ) {
    this.httpServer = httpServer;
    this.#listener = listener;
    this.port = port;
    this.#host = host.includes(":") ? `[${host}]` : host;
    this.protocol = protocol;
    this.httpClient = httpClient;
    listener.on("connection", (socket: net.Socket) => {
      this.#sockets.add(socket);
      socket.once("close", () => this.#sockets.delete(socket));
    });
  }

  /** Starts serving `target`; see HTTPTestServerOptions. */
  static async start(target: HTTPTestTarget, options: HTTPTestServerOptions = {}): Promise<HTTPTestServer> {
    if (typeof target !== "function" && (typeof target !== "object" || target === null)) {
      throw new TestingArgumentError(
        `target must be an HTTPServer, an HTTPServerConnectionDelegate (an Application) or a request callback, got ${String(target)}`,
      );
    }
    const { sslOptions, address = "127.0.0.1" } = options;
    let httpServer: HTTPServer;
    if (isHTTPServer(target)) {
      httpServer = target;
    } else {
      const serverOptions = { ...(options.httpServerOptions ?? {}), ...(sslOptions ? { sslOptions } : {}) };
      httpServer = new HTTPServer(target as ConstructorParameters<typeof HTTPServer>[0], serverOptions);
    }
    // As AsyncHTTPTestCase.fetch runs under the async test timeout, requests time out after it
    // unless the caller's defaults say otherwise; https skips certificate checks likewise.
    const clientOptions = { ...(options.clientOptions ?? {}) };
    clientOptions.defaults = {
      requestTimeout: getAsyncTestTimeout(),
      ...(sslOptions !== undefined ? { validateCert: false } : {}),
      ...(clientOptions.defaults ?? {}),
    };
    const httpClient = new AsyncHTTPClient(clientOptions);
    const { server: listener, port } = await bindUnusedPort({ address });
    const testServer = new HTTPTestServer(httpServer, listener, port, address, sslOptions ? "https" : "http", httpClient);
    httpServer.addSockets([listener]);
    return testServer;
  }

  /** An absolute URL for `path` on this server. Tornado: get_url(path). */
  url(path = "/"): string {
    if (typeof path !== "string") throw new TestingArgumentError(`path must be a string, got ${typeof path}`);
    return `${this.protocol}://${this.#host}:${this.port}${path.startsWith("/") ? path : `/${path}`}`;
  }

  /**
   * A WebSocket URL for `path` on this server (`ws://`, or `wss://` with sslOptions), for
   * `websocketConnect` from @tornado/websocket (which this package does not depend on, as it
   * sits above @tornado/web).
   */
  wsUrl(path = "/"): string {
    return this.url(path).replace(/^http/, "ws");
  }

  /**
   * Opens a WebSocket to `path` on this server with @tornado/websocket's websocketConnect,
   * required on first use (this package does not depend on it; install it beside, or pass
   * `connect`). Resolves with its WebSocketClientConnection; stop() closes it through
   * HTTPServer.closeAllConnections (1001). Tornado: websocket_connect(get_url(path) as ws://).
   */
  websocketConnect<Connection = unknown, Options = Record<string, unknown>>(
    path: string,
    options?: Options,
    connect?: (url: string, options?: Options) => Promise<Connection>,
  ): Promise<Connection> {
    if (connect === undefined) {
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional peer, loaded only when a test connects a WebSocket
        connect = (require("@tornado/websocket") as { websocketConnect: typeof connect }).websocketConnect;
      } catch (error) {
        throw new TestingArgumentError("websocketConnect needs @tornado/websocket installed (or a connect function)", { cause: error });
      }
    }
    return connect!(this.wsUrl(path), options);
  }

  /**
   * Fetches `path` (or an absolute http(s) URL) with this server's client. `raiseError`
   * defaults to false, as in Tornado's AsyncHTTPTestCase.fetch: a non-2xx answer resolves.
   */
  fetch(path: string, options: HTTPRequestOptions & FetchOptions = {}): Promise<HTTPResponse> {
    const url = /^https?:\/\//i.test(path) ? path : this.url(path);
    return this.httpClient.fetch(url, { raiseError: false, ...options });
  }

  /**
   * Stops listening, closes the client, closes every connection the server accepted (waiting
   * up to the async test timeout for HTTPServer.closeAllConnections, then destroying what is
   * left, which fails requests still waiting for an answer). Idempotent.
   */
  stop(): Promise<void> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  async #stop(): Promise<void> {
    const listenerClosed = new Promise<void>((resolve) => {
      if (!this.#listener.listening) resolve();
      else this.#listener.once("close", () => resolve());
    });
    this.httpServer.stop();
    if (this.#listener.listening) this.#listener.close();
    // The client closes its idle connections now and the busy ones when their request ends;
    // a request the app never answers ends when its connection is destroyed below.
    const clientClosed = this.httpClient.close();
    const closeAll = (this.httpServer as { closeAllConnections?: () => Promise<void> | void }).closeAllConnections;
    if (typeof closeAll === "function") {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, getAsyncTestTimeout() * 1000);
      });
      await Promise.race([Promise.resolve(closeAll.call(this.httpServer)), timeout]).finally(() => clearTimeout(timer));
    }
    // Whatever the server did not close (or a server without closeAllConnections) is closed here.
    const closing = [...this.#sockets].map(
      (socket) =>
        new Promise<void>((resolve) => {
          // Sockets leave the set on "close", so every one here has a "close" still to come.
          socket.once("close", () => resolve());
          socket.destroy();
        }),
    );
    await Promise.all([listenerClosed, clientClosed, ...closing]);
  }
}

/** Starts an HTTPTestServer. See HTTPTestServer.start. */
export function startHTTPTestServer(target: HTTPTestTarget, options?: HTTPTestServerOptions): Promise<HTTPTestServer> {
  return HTTPTestServer.start(target, options);
}
