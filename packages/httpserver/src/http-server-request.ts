/**
 * One HTTP request as the application sees it. Tornado: httputil.HTTPServerRequest.
 */

import {
  HTTPHeaders,
  HTTPInputError,
  parseBodyArguments,
  parseQsToArguments,
  parseRequestCookies,
  resolveParseBodyConfig,
  splitHostAndPort,
  type HTTPFile,
  type ParseBodyConfig,
  type RequestStartLine,
  type ResolvedParseBodyConfig,
} from "@tornado/httputil";
import { genLog } from "@tornado/ioloop";
import type { HTTPConnection } from "./interfaces";

const EMPTY = Buffer.alloc(0);

export interface HTTPServerRequestInit {
  method?: string;
  uri?: string;
  version?: string;
  headers?: HTTPHeaders;
  body?: Buffer;
  host?: string;
  connection?: HTTPConnection;
  startLine?: RequestStartLine;
  /** The peer IP; default the connection context's, else "127.0.0.1". */
  remoteIp?: string;
  /** "http" or "https"; default the connection context's, else "http". */
  protocol?: string;
  serverConnection?: object;
  /**
   * Limits of query and body argument parsing; default the connection context's (the
   * server's `parseBodyConfig`), else DEFAULT_PARSE_BODY_CONFIG (1000 urlencoded fields, 100
   * multipart parts).
   */
  parseBodyConfig?: ParseBodyConfig;
}

interface ConnectionWithContext {
  context?: { remoteIp?: string; protocol?: string; parseBodyConfig?: ParseBodyConfig };
}

/**
 * A request: start line, headers, body, and the lazily parsed query and body arguments, files
 * and cookies. Argument values are Buffers (Tornado keeps bytes), keys latin-1 strings.
 *
 * Tornado: httputil.HTTPServerRequest (HTTPRequest).
 */
export class HTTPServerRequest {
  method: string;
  uri: string;
  version: string;
  headers: HTTPHeaders;
  body: Buffer;
  remoteIp: string;
  protocol: string;
  host: string;
  path: string;
  query: string;
  connection: HTTPConnection | undefined;
  serverConnection: object | undefined;
  /** The limits its arguments are parsed with (Tornado: the global ParseBodyConfig). */
  readonly parseBodyConfig: ResolvedParseBodyConfig;
  #startTime = performance.now();
  #finishTime: number | undefined;
  #queryArguments: Record<string, Buffer[]> | undefined;
  #bodyArguments: Record<string, Buffer[]> | undefined;
  #files: Record<string, HTTPFile[]> | undefined;
  #arguments: Record<string, Buffer[]> | undefined;
  #cookies: Map<string, string> | undefined;

  constructor(init: HTTPServerRequestInit = {}) {
    const startLine = init.startLine;
    this.method = startLine?.method ?? init.method ?? "GET";
    this.uri = startLine?.path ?? init.uri ?? "/";
    this.version = startLine?.version ?? init.version ?? "HTTP/1.0";
    this.headers = init.headers ?? new HTTPHeaders();
    this.body = init.body ?? EMPTY;
    // Tornado takes these from the connection's context (xheaders may have changed them).
    const context = (init.connection as ConnectionWithContext | undefined)?.context;
    this.remoteIp = init.remoteIp ?? context?.remoteIp ?? "127.0.0.1";
    this.protocol = init.protocol ?? context?.protocol ?? "http";
    this.host = init.host ?? this.headers.get("Host") ?? "127.0.0.1";
    this.connection = init.connection;
    this.serverConnection = init.serverConnection;
    this.parseBodyConfig = resolveParseBodyConfig(init.parseBodyConfig ?? context?.parseBodyConfig);
    const question = this.uri.indexOf("?");
    this.path = question < 0 ? this.uri : this.uri.slice(0, question);
    this.query = question < 0 ? "" : this.uri.slice(question + 1);
  }

  #hostName: string | undefined;

  /** The host without its port, lower-cased. Tornado: HTTPServerRequest.host_name. */
  get hostName(): string {
    return (this.#hostName ??= splitHostAndPort(this.host.toLowerCase())[0]);
  }
  set hostName(value: string) {
    this.#hostName = value;
  }

  /**
   * Query arguments: name -> values (Buffers), blank values kept. Parsed on first use; more
   * than `parseBodyConfig.urlencoded.maxArguments` fields throws HTTPTooManyArgumentsError
   * (414) before the rest is parsed (Tornado 6.5.9).
   */
  get queryArguments(): Record<string, Buffer[]> {
    return (this.#queryArguments ??= parseQsToArguments(this.query, Object.create(null) as Record<string, Buffer[]>, {
      maxArguments: this.parseBodyConfig.urlencoded.maxArguments,
      source: "query",
    }));
  }
  set queryArguments(value: Record<string, Buffer[]>) {
    this.#queryArguments = value;
    this.#arguments = undefined;
  }

  /** Body arguments (urlencoded or multipart fields). Parsed on first use; see parseBody(). */
  get bodyArguments(): Record<string, Buffer[]> {
    if (this.#bodyArguments === undefined) this.#parseBodyLogged();
    return this.#bodyArguments!;
  }
  set bodyArguments(value: Record<string, Buffer[]>) {
    this.#bodyArguments = value;
    this.#arguments = undefined;
  }

  /** Uploaded files by field name. Parsed on first use; see parseBody(). */
  get files(): Record<string, HTTPFile[]> {
    if (this.#files === undefined) this.#parseBodyLogged();
    return this.#files!;
  }
  set files(value: Record<string, HTTPFile[]>) {
    this.#files = value;
  }

  /** Query arguments followed by body arguments, per name. */
  get arguments(): Record<string, Buffer[]> {
    if (this.#arguments === undefined) {
      const merged = Object.create(null) as Record<string, Buffer[]>;
      for (const source of [this.queryArguments, this.bodyArguments]) {
        for (const name of Object.keys(source)) {
          const values = source[name]!;
          const list = merged[name];
          if (list === undefined) merged[name] = values.slice();
          // One push per value: spreading a long list into push() overflows the stack.
          else for (let i = 0; i < values.length; i++) list.push(values[i]!);
        }
      }
      this.#arguments = merged;
    }
    return this.#arguments;
  }
  set arguments(value: Record<string, Buffer[]>) {
    this.#arguments = value;
  }

  /**
   * Parses the body by its Content-Type into bodyArguments and files, within `parseBodyConfig`,
   * throwing HTTPInputError on malformed or over-limit input (its `statusCode`, 400 or 413, is
   * web's answer). Tornado: HTTPServerRequest._parse_body.
   */
  parseBody(): void {
    const args = Object.create(null) as Record<string, Buffer[]>;
    const files = Object.create(null) as Record<string, HTTPFile[]>;
    this.#bodyArguments = args;
    this.#files = files;
    this.#arguments = undefined;
    parseBodyArguments(this.headers.get("Content-Type") ?? "", this.body, args, files, this.headers, { config: this.parseBodyConfig });
  }

  #parseBodyLogged(): void {
    try {
      this.parseBody();
    } catch (error) {
      if (!(error instanceof HTTPInputError)) throw error;
      this.#bodyArguments = Object.create(null) as Record<string, Buffer[]>;
      this.#files = Object.create(null) as Record<string, HTTPFile[]>;
      genLog.warning(`Invalid body: ${error.message}`);
    }
  }

  /** The request's cookies (name -> value), parsed on first use. Tornado: HTTPServerRequest.cookies. */
  get cookies(): Map<string, string> {
    if (this.#cookies === undefined) {
      const header = this.headers.get("Cookie");
      this.#cookies = header === undefined ? new Map() : parseRequestCookies(header);
    }
    return this.#cookies;
  }

  /** `protocol://host/uri`. Tornado: HTTPServerRequest.full_url. */
  fullUrl(): string {
    return `${this.protocol}://${this.host}${this.uri}`;
  }

  /** Seconds the request took (until now when not finished). Tornado: request_time. */
  requestTime(): number {
    return ((this.#finishTime ?? performance.now()) - this.#startTime) / 1000;
  }

  /** Marks the request finished (for requestTime). @internal */
  _markFinished(): void {
    this.#finishTime = performance.now();
  }

  /** The TLS peer certificate, when the connection is TLS. Tornado: get_ssl_certificate. */
  getSslCertificate(): unknown {
    const socket = (this.connection as { socket?: { getPeerCertificate?: () => unknown } } | undefined)?.socket;
    return socket?.getPeerCertificate ? socket.getPeerCertificate() : undefined;
  }

  /** Like Tornado's repr: method, uri, version and remote ip, never the headers. */
  toString(): string {
    return `HTTPServerRequest(protocol=${JSON.stringify(this.protocol)}, host=${JSON.stringify(this.host)}, method=${JSON.stringify(this.method)}, uri=${JSON.stringify(this.uri)}, version=${JSON.stringify(this.version)}, remoteIp=${JSON.stringify(this.remoteIp)})`;
  }
}
