/**
 * TCPClient: resolves a host and connects to it, trying IPv6 and IPv4 as Happy Eyeballs
 * (RFC 6555) does, and returns an IOStream (an SSLIOStream with sslOptions).
 *
 * Tornado: tornado.tcpclient.TCPClient (and its _Connector).
 */

import * as net from "node:net";
import { ArgumentRangeError, ArgumentTypeError } from "@tornado/util";
import { ConnectError, TimeoutError } from "../errors";
import { IOStream, type IOStreamOptions } from "../stream/iostream";
import type { SSLOptions } from "../stream/tls-socket";
import { checkPort, DefaultResolver, Resolver, type AddressFamily, type ResolvedAddress } from "./resolver";

/** Seconds before the second address family is tried (Tornado: _INITIAL_CONNECT_TIMEOUT). */
export const INITIAL_CONNECT_TIMEOUT = 0.3;

/** Options of TCPClient.connect. */
export interface ConnectOptions {
  /** 0 (default) for any family, 4 or 6. Tornado: af. */
  family?: AddressFamily;
  /** Upgrade the connection to TLS with these options (server name = host). */
  sslOptions?: SSLOptions;
  /** Bytes; see IOStreamOptions. */
  maxBufferSize?: number;
  /** Bytes; see IOStreamOptions. */
  maxWriteBufferSize?: number;
  /** Local address to connect from. */
  sourceIp?: string;
  /** Local port to connect from (with no sourceIp, the loopback of the target's family). */
  sourcePort?: number;
  /** Seconds for resolving, connecting and the TLS handshake together; TimeoutError after. */
  timeout?: number;
}

/** Something the Connector can close: an IOStream, or a test double. */
export interface Closable {
  close(): void;
}

/**
 * Happy Eyeballs over a resolved address list: the addresses of the first one's family are
 * tried one after the other; the other family starts after `timeout` seconds or as soon as an
 * attempt fails; the first success wins and later ones are closed. Internal to TCPClient,
 * exported for tests. Tornado: tcpclient._Connector.
 */
export class Connector<S extends Closable, A extends { family: number } = ResolvedAddress> {
  readonly primary: A[];
  readonly secondary: A[];
  /** Streams started and not (yet) handed to the caller. */
  readonly streams = new Set<S>();
  #remaining: number;
  #lastError: Error | null = null;
  #done = false;
  #timeout: NodeJS.Timeout | null = null;
  #connectTimeout: NodeJS.Timeout | null = null;
  #resolve: (value: [A, S]) => void = () => {};
  #reject: (error: Error) => void = () => {};
  readonly promise: Promise<[A, S]>;

  constructor(
    addresses: A[],
    private readonly connect: (address: A) => [S, Promise<S>],
  ) {
    if (addresses.length === 0) throw new ConnectError("no addresses to connect to");
    [this.primary, this.secondary] = Connector.split(addresses);
    this.#remaining = addresses.length;
    this.promise = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.promise.catch(() => {});
  }

  /** The first address and those of its family, then all others. Tornado: _Connector.split. */
  static split<T extends { family: number }>(addresses: T[]): [T[], T[]] {
    const primaryFamily = addresses[0]?.family;
    const primary: T[] = [];
    const secondary: T[] = [];
    for (const address of addresses) (address.family === primaryFamily ? primary : secondary).push(address);
    return [primary, secondary];
  }

  /**
   * @param timeout seconds before trying the secondary family.
   * @param connectTimeout seconds before giving up with TimeoutError, or null.
   */
  start(timeout = INITIAL_CONNECT_TIMEOUT, connectTimeout: number | null = null): Promise<[A, S]> {
    this.#tryConnect(this.primary[Symbol.iterator]());
    // Unref'd: the connecting sockets keep the process alive, the timers need not.
    this.#timeout = setTimeout(() => this.onTimeout(), timeout * 1000).unref();
    if (connectTimeout !== null) {
      this.#connectTimeout = setTimeout(() => this.onConnectTimeout(), connectTimeout * 1000).unref();
    }
    return this.promise;
  }

  /** Starts the secondary family (the Happy Eyeballs delay elapsed). */
  onTimeout(): void {
    if (this.#timeout !== null) clearTimeout(this.#timeout);
    this.#timeout = null;
    if (!this.#done) this.#tryConnect(this.secondary[Symbol.iterator]());
  }

  /** Gives up with TimeoutError and closes every pending attempt. */
  onConnectTimeout(): void {
    if (!this.#done) this.#fail(new TimeoutError("Timeout while connecting"));
    this.#closeStreams();
  }

  #tryConnect(addresses: Iterator<A>): void {
    const next = addresses.next();
    if (next.done) {
      // This queue is finished; fail only when the other one is too.
      if (this.#remaining === 0 && !this.#done) {
        this.#fail(this.#lastError ?? new ConnectError("connection failed"));
      }
      return;
    }
    const address = next.value;
    const [stream, connected] = this.connect(address);
    this.streams.add(stream);
    connected.then(
      (result) => this.#onConnectDone(addresses, address, result, null),
      // Not `instanceof Error`: errors from another realm (vm, Jest) are errors too.
      (error: unknown) =>
        this.#onConnectDone(
          addresses,
          address,
          null,
          typeof error === "object" && error !== null ? (error as Error) : new ConnectError(String(error)),
        ),
    );
  }

  #onConnectDone(addresses: Iterator<A>, address: A, stream: S | null, error: Error | null): void {
    this.#remaining--;
    if (error !== null || stream === null) {
      if (this.#done) return;
      this.#lastError = error;
      this.#tryConnect(addresses);
      // A failed first attempt starts the other family without waiting for the timeout.
      if (this.#timeout !== null) this.onTimeout();
      return;
    }
    this.#clearTimeouts();
    if (this.#done) {
      stream.close(); // a late arrival
      return;
    }
    this.streams.delete(stream);
    this.#done = true;
    this.#resolve([address, stream]);
    this.#closeStreams();
  }

  #fail(error: Error): void {
    this.#done = true;
    this.#clearTimeouts();
    this.#reject(error);
  }

  #clearTimeouts(): void {
    if (this.#timeout !== null) clearTimeout(this.#timeout);
    if (this.#connectTimeout !== null) clearTimeout(this.#connectTimeout);
    this.#timeout = null;
    this.#connectTimeout = null;
  }

  #closeStreams(): void {
    for (const stream of this.streams) stream.close();
  }
}

/**
 * Opens TCP connections as IOStreams. Tornado: tornado.tcpclient.TCPClient.
 *
 * @example
 * const stream = await new TCPClient().connect("localhost", 8888, { timeout: 5 });
 */
export class TCPClient {
  readonly resolver: Resolver;

  /** @param resolver default: a DefaultResolver (dns.lookup). */
  constructor(resolver?: Resolver) {
    if (resolver !== undefined && !(resolver instanceof Resolver)) {
      throw new ArgumentTypeError("resolver must be a Resolver");
    }
    this.resolver = resolver ?? new DefaultResolver();
  }

  /**
   * Connects to `host`:`port`. Rejects with TimeoutError after `timeout` seconds, or with the
   * last connection error when every address failed. Tornado: TCPClient.connect.
   */
  async connect(host: string, port: number, options: ConnectOptions = {}): Promise<IOStream> {
    if (typeof host !== "string" || host === "") {
      throw new ArgumentTypeError(`host must be a non-empty string, got ${JSON.stringify(host)}`);
    }
    checkPort(port);
    const { timeout, sourceIp, sourcePort, sslOptions } = options;
    if (timeout !== undefined && (typeof timeout !== "number" || !(timeout >= 0) || !Number.isFinite(timeout))) {
      throw new ArgumentRangeError(`timeout must be a non-negative number of seconds, got ${String(timeout)}`);
    }
    if (sourcePort !== undefined) checkPort(sourcePort);
    const deadline = timeout === undefined ? null : performance.now() + timeout * 1000;
    const remaining = (): number => Math.max(0, ((deadline as number) - performance.now()) / 1000);
    const streamOptions: IOStreamOptions = {
      maxBufferSize: options.maxBufferSize,
      maxWriteBufferSize: options.maxWriteBufferSize,
    };

    const resolving = this.resolver.resolve(host, port, options.family ?? 0);
    const addresses = deadline === null ? await resolving : await withDeadline(resolving, remaining());
    const connector = new Connector<IOStream>(addresses, (address) =>
      createStream(address, streamOptions, sourceIp, sourcePort),
    );
    const [, stream] = await connector.start(INITIAL_CONNECT_TIMEOUT, deadline === null ? null : remaining());
    if (sslOptions === undefined) return stream;
    const upgrading = stream.startTls(false, sslOptions, host);
    if (deadline === null) return upgrading;
    try {
      return await withDeadline(upgrading, remaining());
    } catch (error) {
      stream.socket.destroy();
      throw error;
    }
  }

  /** Closes the resolver. Tornado: TCPClient.close. */
  close(): void {
    this.resolver.close();
  }
}

function createStream(
  address: ResolvedAddress,
  options: IOStreamOptions,
  sourceIp: string | undefined,
  sourcePort: number | undefined,
): [IOStream, Promise<IOStream>] {
  const connectOptions: net.TcpNetConnectOpts = {
    host: address.address,
    port: address.port,
    family: address.family,
  };
  if (sourceIp !== undefined) connectOptions.localAddress = sourceIp;
  if (sourcePort !== undefined && sourcePort !== 0) {
    connectOptions.localPort = sourcePort;
    // As Tornado: a source port without a source address binds the loopback of the family.
    connectOptions.localAddress ??= address.family === 6 ? "::1" : "127.0.0.1";
  }
  const socket = net.connect(connectOptions);
  const stream = new IOStream(socket, options);
  const connected = new Promise<IOStream>((resolve, reject) => {
    const cleanUp = (): void => {
      socket.removeListener("connect", onConnect);
      socket.removeListener("error", onError);
      socket.removeListener("close", onClose);
    };
    const onConnect = (): void => {
      cleanUp();
      resolve(stream);
    };
    const onError = (error: Error): void => {
      cleanUp();
      reject(error);
    };
    // Closed by the Connector (timeout, or another attempt won) before connecting.
    const onClose = (): void => {
      cleanUp();
      reject(stream.error ?? new ConnectError("connection closed before it was established"));
    };
    socket.once("connect", onConnect);
    socket.once("error", onError);
    socket.once("close", onClose);
  });
  return [stream, connected];
}

function withDeadline<T>(promise: Promise<T>, seconds: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutError("Timeout")), seconds * 1000);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
