/**
 * TCPServer: accepts connections and hands each one, as an IOStream, to handleStream.
 *
 * Tornado: tornado.tcpserver.TCPServer.
 */

import type * as net from "node:net";
import type * as tls from "node:tls";
import { ArgumentTypeError, checkPositiveInteger } from "@tornado/util";
import { IOStream, type IOStreamOptions } from "../stream/iostream";
import { TCPServerStateError } from "../errors";
import { appLog, genLog } from "../log/logger";
import { addAcceptHandler, bindSockets, type BindOptions, type PeerAddress } from "./netutil";
import { forkProcesses } from "../process/process";
import { trackServer, untrackServer } from "../process/process-policy";
import { SSLIOStream } from "../stream/ssl-iostream";
import { serverTlsOptions, serverTlsSocket, type SSLOptions } from "../stream/tls-socket";
import { onStreamDetached } from "../stream/stream-release";

/** Options of a TCPServer. */
export interface TCPServerOptions extends IOStreamOptions {
  /** Serve TLS with these options (cert and key, or pfx, or a secureContext). Tornado: ssl_options. */
  sslOptions?: SSLOptions;
}

/** Options of TCPServer.stop. */
export interface StopOptions {
  /** Also close the streams of connections still open. Default false, as Tornado. */
  closeStreams?: boolean;
}

/**
 * A non-blocking, single-threaded TCP server. Subclass it and override handleStream, then
 * listen() (or bind() and start() for several processes).
 *
 * @example
 * class EchoServer extends TCPServer {
 *   async handleStream(stream: IOStream) {
 *     for (;;) await stream.write(await stream.readUntil("\n"));
 *   }
 * }
 * await new EchoServer().listen(8888);
 *
 * Tornado: tornado.tcpserver.TCPServer.
 */
export class TCPServer {
  readonly sslOptions: SSLOptions | undefined;
  readonly #streamOptions: IOStreamOptions;
  readonly #tlsOptions: tls.TLSSocketOptions | undefined;
  readonly #servers = new Map<net.Server, () => void>();
  readonly #pending: Array<[number, string | undefined, BindOptions]> = [];
  readonly #streams = new Set<IOStream>();
  #started = false;

  constructor(options: TCPServerOptions = {}) {
    if (options === null || typeof options !== "object") {
      throw new ArgumentTypeError(`options must be an object, got ${String(options)}`);
    }
    // Let IOStream validate the sizes now rather than on the first connection.
    const { sslOptions, maxBufferSize, readChunkSize, maxWriteBufferSize } = options;
    this.#streamOptions = { maxBufferSize, readChunkSize, maxWriteBufferSize };
    checkStreamOptions(this.#streamOptions);
    this.sslOptions = sslOptions;
    if (sslOptions !== undefined) {
      if (
        sslOptions.secureContext === undefined &&
        sslOptions.pfx === undefined &&
        (sslOptions.cert === undefined || sslOptions.key === undefined) &&
        sslOptions.SNICallback === undefined
      ) {
        throw new ArgumentTypeError("sslOptions needs cert and key, pfx, a secureContext or an SNICallback");
      }
      // One context for every connection: building it per handshake would cost a lot.
      this.#tlsOptions = serverTlsOptions(sslOptions);
    }
  }

  /**
   * Binds `port` on `address` (all interfaces by default) and starts accepting; resolves once
   * listening. May be called several times. Tornado: TCPServer.listen.
   *
   * @param port 0 to 65535; 0 picks an ephemeral port (see boundPorts()).
   */
  async listen(port: number, address?: string, options: BindOptions = {}): Promise<void> {
    const servers = await bindSockets(port, address, options);
    this.addSockets(servers);
  }

  /** Accepts connections on servers from bindSockets (or any listening net.Server). */
  addSockets(servers: net.Server[]): void {
    if (!Array.isArray(servers)) {
      throw new ArgumentTypeError(`servers must be an array of net.Server, got ${typeof servers}`);
    }
    for (const server of servers) this.addSocket(server);
  }

  /** Accepts connections on one server. Tornado: TCPServer.add_socket. */
  addSocket(server: net.Server): void {
    if (this.#servers.has(server)) return;
    const remove = addAcceptHandler(server, (socket, address) => this.#handleConnection(socket, address));
    const onError = (error: Error): void => genLog.error(`Error accepting connection: ${error.message}`);
    server.on("error", onError);
    trackServer(this);
    this.#servers.set(server, () => {
      remove();
      server.removeListener("error", onError);
    });
  }

  /**
   * Records a port to listen on when start() runs (the multi-process form).
   * Tornado: TCPServer.bind.
   */
  bind(port: number, address?: string, options: BindOptions = {}): void {
    if (this.#started) throw new TCPServerStateError("bind() must be called before start()");
    this.#pending.push([port, address, options]);
  }

  /**
   * Starts listening on what bind() recorded. With numProcesses other than 1, forks that many
   * worker processes first (0 or less: one per CPU) with node:cluster, as forkProcesses does:
   * the script runs again in each worker, where start() listens on the shared port, while in
   * the primary the returned Promise never resolves (it supervises and restarts workers).
   * Tornado: TCPServer.start(num_processes, max_restarts).
   */
  async start(numProcesses = 1, maxRestarts: number | null = null): Promise<void> {
    if (this.#started) throw new TCPServerStateError("start() was already called");
    this.#started = true;
    if (numProcesses !== 1) await forkProcesses(numProcesses, maxRestarts);
    const pending = this.#pending.splice(0);
    for (const [port, address, options] of pending) await this.listen(port, address, options);
  }

  /**
   * Stops accepting and closes the listening sockets; open connections go on unless
   * `closeStreams`. Safe to call twice. Tornado: TCPServer.stop.
   */
  stop(options: StopOptions = {}): void {
    for (const [server, remove] of this.#servers) {
      remove();
      server.close();
    }
    this.#servers.clear();
    untrackServer(this);
    if (options.closeStreams) {
      for (const stream of this.#streams) stream.close();
      this.#streams.clear();
    }
  }

  /** The ports being listened on (one per family or address, usually the same number). */
  boundPorts(): number[] {
    return this.boundAddresses().map((info) => info.port);
  }

  /** The addresses being listened on. */
  boundAddresses(): net.AddressInfo[] {
    const result: net.AddressInfo[] = [];
    for (const server of this.#servers.keys()) {
      const address = server.address();
      if (address !== null && typeof address === "object") result.push(address);
    }
    return result;
  }

  /** The streams of the connections still open. */
  liveStreams(): ReadonlySet<IOStream> {
    return this.#streams;
  }

  /**
   * Override to handle a new connection; may be async. An error thrown (or a rejection) is
   * logged on `tornado.application`. For TLS, `stream` is an SSLIOStream whose handshake may
   * still be running (reads and writes wait for it). Tornado: TCPServer.handle_stream.
   *
   * @param address the peer as `[host, port]`.
   */
  handleStream(stream: IOStream, address: PeerAddress): void | Promise<void> {
    void stream;
    void address;
    throw new TCPServerStateError("TCPServer.handleStream must be overridden");
  }

  #handleConnection(socket: net.Socket, address: PeerAddress): void {
    let stream: IOStream;
    try {
      if (this.#tlsOptions !== undefined) {
        const tlsSocket = serverTlsSocket(socket, this.#tlsOptions);
        stream = new SSLIOStream(tlsSocket, { ...this.#streamOptions, serverSide: true });
      } else {
        stream = new IOStream(socket, this.#streamOptions);
      }
    } catch (error) {
      appLog.error("Error in connection callback", error);
      socket.destroy();
      return;
    }
    this.#streams.add(stream);
    const onClose = (): void => {
      this.#streams.delete(stream);
    };
    socket.once("close", onClose);
    // Detached (an HTTP upgrade, now or later): the stream is spent; do not keep it alive for
    // the socket's lifetime (10,000 upgraded sockets would hold 10,000 streams).
    onStreamDetached(stream, () => {
      this.#streams.delete(stream);
      socket.off("close", onClose);
    });
    let result: void | Promise<void>;
    try {
      result = this.handleStream(stream, address);
    } catch (error) {
      appLog.error("Error in connection callback", error);
      return;
    }
    if (result !== undefined && result !== null && typeof (result as Promise<void>).then === "function") {
      (result as Promise<void>).then(undefined, (error: unknown) => {
        appLog.error(`Exception in callback for connection from ${formatAddress(address)}`, error);
      });
    }
  }
}

function formatAddress(address: PeerAddress): string {
  return typeof address === "string" ? address : `${address[0]}:${address[1]}`;
}

function checkStreamOptions(options: IOStreamOptions): void {
  for (const name of ["maxBufferSize", "readChunkSize", "maxWriteBufferSize"] as const) {
    const value = options[name];
    if (value !== undefined) checkPositiveInteger(value, name, "bytes");
  }
}
