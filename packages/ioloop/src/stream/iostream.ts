/**
 * IOStream: Tornado's buffered, Promise-based reads and writes over a `net.Socket`.
 *
 * Reads live in StreamReader (beside ReadBuffer): received chunks are kept in a list (never
 * concatenated per chunk), a delimiter search resumes where it stopped, and a result inside
 * one chunk is a zero-copy `subarray`. The socket is paused when more than a high-water mark
 * is buffered and no read is pending, so a peer cannot make us buffer without bound. Writes are
 * plain `socket.write` calls without a callback: when the kernel takes the bytes at once (the
 * usual case) the write returns a settled Promise and costs nothing more; else a zero-length
 * write queued behind it calls back (in order, one shared callback) once every byte before it
 * was handed to the kernel, and that settles its Promise.
 *
 * Tornado: tornado.iostream.BaseIOStream / IOStream.
 */

import type * as net from "node:net";
import type * as tls from "node:tls";
import { ArgumentTypeError, checkPositiveInteger, describeValue, RESOLVED } from "@tornado/util";
import { IOStreamBusyError, StreamBufferFullError, StreamClosedError } from "../errors";
import { appLog, genLog } from "../log/logger";
import { notifyStreamDetached } from "./stream-release";
import { rejected, StreamReader } from "./stream-reader";
import { wrapTlsSocket, type SSLOptions } from "./tls-socket";
import { WriteQueue } from "./write-queue";
import type { SSLIOStream, SSLIOStreamOptions } from "./ssl-iostream";

/** Options of an IOStream (and SSLIOStream). */
export interface IOStreamOptions {
  /** Bytes; the read buffer may not grow beyond this. Default 104857600 (100 MiB). */
  maxBufferSize?: number;
  /**
   * Bytes; default min(65536, maxBufferSize / 2). Node chooses the size of socket reads, so
   * here it sets the flow-control high-water mark (4 x readChunkSize, at least 256 KiB): the
   * socket is paused when that much is buffered and no read is pending.
   */
  readChunkSize?: number;
  /** Bytes; writes that would grow the unsent data beyond this fail. Default unlimited. */
  maxWriteBufferSize?: number;
}

/** What detach() hands over. */
export interface DetachedSocket {
  socket: net.Socket;
  /** Bytes already read from the socket but not consumed by a read. */
  buffered: Buffer;
}

/** Where IOStream.connect goes: `[host, port]`, or the path of a Unix socket. */
export type StreamAddress = readonly [host: string, port: number] | string;

const DEFAULT_MAX_BUFFER_SIZE = 104857600;
const MIN_HIGH_WATER = 262144;
const EMPTY = Buffer.alloc(0);

/** Socket errors that only mean the peer went away: closed without a log line (Tornado's _is_connreset). */
export const CONNECTION_GONE = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "ETIMEDOUT", "ENOTCONN", "ESHUTDOWN"]);

type SSLStreamFactory = (socket: tls.TLSSocket, options: SSLIOStreamOptions) => SSLIOStream;
let makeSSLStream: SSLStreamFactory | null = null;

/**
 * Called once by ssl-iostream.ts as it loads: SSLIOStream extends IOStream, so this module
 * cannot import it, yet startTls makes one. Internal.
 */
export function provideSSLStreamFactory(factory: SSLStreamFactory): void {
  makeSSLStream = factory;
}

function checkSize(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  checkPositiveInteger(value, name, "bytes");
  return value;
}

/**
 * A buffered stream over a `net.Socket` (connected, connecting, or not yet connected: see
 * connect()), with Promise-returning reads and writes. At most one read may be pending at a
 * time (Tornado asserts the same); a read that the buffer can already satisfy resolves without
 * waiting for the socket.
 *
 * Tornado: tornado.iostream.IOStream.
 */
export class IOStream {
  /** The underlying socket. */
  readonly socket: net.Socket;
  /** Why the stream closed, if it closed because of an error. Tornado: IOStream.error. */
  error: Error | null = null;
  /** Bytes; default 104857600. Tornado: max_buffer_size. */
  readonly maxBufferSize: number;
  /** Bytes; default min(65536, maxBufferSize / 2). Tornado: read_chunk_size. */
  readonly readChunkSize: number;
  /** Bytes, or undefined for no limit. Tornado: max_write_buffer_size. */
  readonly maxWriteBufferSize: number | undefined;

  readonly #reader: StreamReader;
  readonly #writes = new WriteQueue();
  readonly #highWater: number;
  #paused = false;
  #closed = false;
  #detached = false;
  #closeCallback: (() => void) | null = null;
  #closeCallbackScheduled = false;

  readonly #onWritten = (error?: Error | null): void => {
    if (!error) {
      this.#writes.settleNext(null);
      return;
    }
    const real = this.error ?? (isDestroyedError(error) ? undefined : error);
    if (!this.#closed) this.close(error);
    this.#writes.settleNext(new StreamClosedError(real));
  };
  readonly #onData = (chunk: Buffer): void => {
    if (this.#reader.onData(chunk) && !this.#paused && !this.#closed && this.#reader.buffer.size >= this.#highWater) {
      this.#paused = true;
      this.socket.pause();
    }
  };
  readonly #onEnd = (): void => {
    this.close();
  };
  readonly #onError = (error: Error): void => {
    this.handleSocketError(error);
  };
  readonly #onClose = (): void => {
    this.close();
  };

  /**
   * @param socket a socket; the stream reads from it at once (or once it connects).
   * @param options buffer limits in bytes (see IOStreamOptions).
   */
  constructor(socket: net.Socket, options: IOStreamOptions = {}) {
    if (socket === null || typeof socket !== "object" || typeof socket.write !== "function") {
      throw new ArgumentTypeError(`socket must be a net.Socket, got ${describeValue(socket)}`);
    }
    this.socket = socket;
    this.maxBufferSize = checkSize("maxBufferSize", options.maxBufferSize, DEFAULT_MAX_BUFFER_SIZE);
    this.readChunkSize = checkSize(
      "readChunkSize",
      options.readChunkSize,
      Math.max(1, Math.min(65536, Math.floor(this.maxBufferSize / 2))),
    );
    this.maxWriteBufferSize =
      options.maxWriteBufferSize === undefined
        ? undefined
        : checkSize("maxWriteBufferSize", options.maxWriteBufferSize, 0);
    this.#highWater = Math.min(this.maxBufferSize, Math.max(4 * this.readChunkSize, MIN_HIGH_WATER));
    this.#reader = new StreamReader({
      maxBufferSize: this.maxBufferSize,
      streamError: () => this.error,
      closed: () => this.#closed,
      close: (error) => this.close(error),
      resumeReading: () => this.#resumeSocket(),
    });
    socket.on("data", this.#onData);
    socket.on("end", this.#onEnd);
    socket.on("error", this.#onError);
    socket.on("close", this.#onClose);
    if (socket.readableFlowing === false) socket.resume();
    if (socket.destroyed) this.close();
  }

  /**
   * Connects the socket given to the constructor, which must not be connected yet, to
   * `address` (`[host, port]`, or a Unix socket path). Resolves with this stream once
   * connected; rejects with StreamClosedError (realError: the connect error, such as
   * ECONNREFUSED) and closes the stream on failure. Writes made after the call are sent once
   * connected (Node refuses them before it). For host names with IPv4/IPv6 fallback use TCPClient.
   *
   * @param serverHostname used by SSLIOStream for SNI and certificate checks; a plain IOStream
   *   has no TLS and takes the argument only so that both have one signature.
   * Tornado: IOStream.connect(address, server_hostname).
   */
  connect(address: StreamAddress, serverHostname?: string): Promise<this> {
    void serverHostname;
    const isPath = typeof address === "string";
    if (!isPath && !(Array.isArray(address) && typeof address[0] === "string" && Number.isInteger(address[1]))) {
      throw new ArgumentTypeError(`address must be [host, port] or a socket path, got ${describeValue(address)}`);
    }
    if (this.#closed) return rejected(new StreamClosedError(this.error ?? undefined));
    const socket = this.socket;
    const connected = new Promise<this>((resolve, reject) => {
      const onConnect = (): void => {
        socket.off("close", onClose);
        resolve(this);
      };
      const onClose = (): void => {
        socket.off("connect", onConnect);
        reject(new StreamClosedError(this.error ?? undefined));
      };
      socket.once("connect", onConnect);
      socket.once("close", onClose);
    });
    if (isPath) socket.connect(address);
    else socket.connect(address[1], address[0]);
    return connected;
  }

  /**
   * Reads until `delimiter` (included in the result) has been read.
   *
   * @param maxBytes bytes; when the delimiter is not found within this many bytes the stream is
   *   closed and the read rejects with UnsatisfiableReadError. Default unlimited.
   * Tornado: IOStream.read_until.
   */
  readUntil(delimiter: Buffer | string, maxBytes?: number): Promise<Buffer> {
    return this.#reader.readUntil(delimiter, maxBytes);
  }

  /**
   * Reads until `regex` matches; the result ends with the match. The buffer is matched as
   * latin1 text, so one character is one byte (write byte patterns such as /\r?\n\r?\n/).
   *
   * @param maxBytes bytes; as for readUntil. Tornado: IOStream.read_until_regex.
   */
  readUntilRegex(regex: RegExp, maxBytes?: number): Promise<Buffer> {
    return this.#reader.readUntilRegex(regex, maxBytes);
  }

  /**
   * Reads `numBytes` bytes; with `partial`, resolves as soon as any bytes are available, with
   * at most numBytes (and at most one received chunk, so that no bytes are copied).
   *
   * @param numBytes bytes, a non-negative integer. Tornado: IOStream.read_bytes.
   */
  readBytes(numBytes: number, partial = false): Promise<Buffer> {
    return this.#reader.readBytes(numBytes, partial);
  }

  /**
   * Reads into `buffer` until it is full (or, with `partial`, until any bytes were read) and
   * resolves with the number of bytes written into it. Tornado: IOStream.read_into.
   */
  readInto(buffer: Buffer | Uint8Array, partial = false): Promise<number> {
    return this.#reader.readInto(buffer, partial);
  }

  /**
   * Reads everything until the peer closes; resolves with the data even if the stream is
   * already closed, or closes with an error. Tornado: IOStream.read_until_close.
   */
  readUntilClose(): Promise<Buffer> {
    return this.#reader.readUntilClose();
  }

  /**
   * Push-style reading, for a parser that takes bytes as they come: `onChunk` is called
   * synchronously with each chunk the socket delivers (as received, a view, never a copy;
   * bytes already buffered come first), in order, until the stream closes or is detached. No
   * Promise is made per chunk, unlike a `readBytes(n, true)` loop. Meanwhile this is the pending
   * read: reading() is true and other reads throw. `onChunk` must not throw (an exception is
   * logged on `tornado.application` and closes the stream).
   *
   * Flow control: pauseChunks() stops the delivery (bytes that arrive are buffered, and the
   * socket paused at the high-water mark as for any stream without a pending read);
   * resumeChunks() delivers what was buffered, synchronously, and goes on.
   *
   * Not in Tornado, whose HTTP1Connection awaits one read per line and body piece.
   */
  readChunks(onChunk: (chunk: Buffer) => void): void {
    this.#reader.readChunks(onChunk);
  }

  /** Stops readChunks() delivery until resumeChunks(); arriving bytes are buffered. */
  pauseChunks(): void {
    this.#reader.pauseChunks();
  }

  /** Delivers the bytes buffered while paused (synchronously), then each chunk as it comes. */
  resumeChunks(): void {
    this.#reader.resumeChunks();
  }

  /**
   * Writes `data` (a string is encoded as UTF-8). The Promise resolves when the data has been
   * handed to the kernel, so awaiting each write is the backpressure; it rejects with
   * StreamClosedError if the stream closes first, or StreamBufferFullError when the unsent
   * data would exceed maxWriteBufferSize. Tornado: IOStream.write.
   */
  write(data: Buffer | Uint8Array | string): Promise<void> {
    if (this.#closed) return rejected(new StreamClosedError(this.error ?? undefined));
    if (typeof data !== "string" && !(data instanceof Uint8Array)) {
      throw new ArgumentTypeError(`data must be a Buffer, Uint8Array or string, got ${typeof data}`);
    }
    const max = this.maxWriteBufferSize;
    if (max !== undefined) {
      const length = typeof data === "string" ? Buffer.byteLength(data) : data.byteLength;
      if (this.socket.writableLength + length > max) {
        return rejected(new StreamBufferFullError("Reached maximum write buffer size"));
      }
    }
    const socket = this.socket;
    // No callback: Node then spends no tick and no allocation on a write done at once.
    socket.write(data);
    // Nothing left in the socket's buffer: the kernel took every byte, this write's included.
    if (socket.writableLength === 0 && !socket.destroyed) return RESOLVED;
    // Else a zero-length write behind it calls back when the bytes before it are written (or
    // with the error that destroyed the socket, which the 'error' listener also sees).
    const promise = this.#writes.add();
    socket.write(EMPTY, this.#onWritten);
    return promise;
  }

  /**
   * Sets the callback run (on a later turn of the loop) when the stream closes. Unlike
   * Tornado, a callback set after the close still runs once. Tornado: set_close_callback.
   */
  setCloseCallback(callback: (() => void) | null): void {
    if (callback !== null && typeof callback !== "function") {
      throw new ArgumentTypeError(`close callback must be a function or null, got ${typeof callback}`);
    }
    this.#closeCallback = callback;
    if (this.#closed && !this.#detached && callback !== null) this.#scheduleCloseCallback();
  }

  /**
   * Closes the stream and its socket (at once; unsent writes are dropped, so await them
   * first). A pending read that the buffer can satisfy resolves, any other rejects with
   * StreamClosedError whose realError is `error`. Tornado: IOStream.close(exc_info).
   */
  close(error?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    if (error !== undefined && error !== null && this.error === null) this.error = error;
    this.#reader.onClose();
    if (!this.socket.destroyed) this.socket.destroy();
    this.#scheduleCloseCallback();
  }

  /** True once the stream has closed (or been detached). Tornado: IOStream.closed(). */
  closed(): boolean {
    return this.#closed;
  }

  /** True while a read is pending. Tornado: IOStream.reading(). */
  reading(): boolean {
    return this.#reader.reading;
  }

  /** True while written data has not yet been handed to the kernel. Tornado: writing(). */
  writing(): boolean {
    return this.#writes.pending > 0;
  }

  /** Disables (true) or enables Nagle's algorithm. Tornado: IOStream.set_nodelay. */
  setNodelay(value: boolean): void {
    if (!this.#closed) this.socket.setNoDelay(value);
  }

  /**
   * Stops reading, removes every listener this stream added, and hands over the socket with
   * the bytes read but not consumed (for an HTTP upgrade). The stream is closed() afterwards,
   * the socket is not, and the close callback does not run. A pending read rejects with
   * StreamClosedError. The socket is left so that the next 'data' listener starts it flowing.
   */
  detach(): DetachedSocket {
    if (this.#closed) throw new StreamClosedError(this.error ?? undefined);
    const socket = this.socket;
    socket.pause();
    socket.removeListener("data", this.#onData);
    socket.removeListener("end", this.#onEnd);
    socket.removeListener("error", this.#onError);
    socket.removeListener("close", this.#onClose);
    // Node's http server does the same on upgrade: not flowing, yet not explicitly paused, so
    // that the new owner's first 'data' listener resumes the socket.
    const state = (socket as unknown as { _readableState?: { flowing: boolean | null } })._readableState;
    if (state) state.flowing = null;
    const buffer = this.#reader.buffer;
    const buffered = buffer.take(buffer.size);
    this.#closed = true;
    this.#detached = true;
    if (this.#reader.reading) this.#reader.rejectRead(new StreamClosedError());
    notifyStreamDetached(this);
    return { socket, buffered };
  }

  /**
   * Upgrades this stream to TLS (STARTTLS). No read or write may be pending; bytes already
   * buffered are handed to the TLS layer. This stream is detached, and the new SSLIOStream
   * resolves once the handshake is done. Tornado: IOStream.start_tls.
   *
   * @param serverHostname the name to send (SNI) and verify, on the client side.
   */
  startTls(serverSide: boolean, sslOptions: SSLOptions = {}, serverHostname?: string): Promise<SSLIOStream> {
    if (this.#reader.reading || this.#writes.pending > 0) {
      return rejected(new IOStreamBusyError("IOStream is not idle; cannot convert to SSL"));
    }
    if (this.#closed) return rejected(new StreamClosedError(this.error ?? undefined));
    const closeCallback = this.#closeCallback;
    const options: SSLIOStreamOptions = {
      maxBufferSize: this.maxBufferSize,
      readChunkSize: this.readChunkSize,
      maxWriteBufferSize: this.maxWriteBufferSize,
      serverSide,
    };
    const { socket, buffered } = this.detach();
    if (buffered.length > 0) socket.unshift(buffered);
    const tlsSocket = wrapTlsSocket(socket, serverSide, sslOptions, serverHostname);
    const stream = (makeSSLStream as SSLStreamFactory)(tlsSocket, options);
    stream.setCloseCallback(closeCallback);
    return stream.waitForHandshake().then(() => stream);
  }

  /**
   * Called on a socket 'error': logs it on `tornado.general` as Tornado does ("error on read:
   * ...", a warning), except for a peer that went away (ECONNRESET, EPIPE, ...), then closes
   * the stream with it. SSLIOStream overrides it to log handshake failures.
   */
  protected handleSocketError(error: Error): void {
    const { code, syscall } = error as { code?: string; syscall?: string };
    // A failed connect is reported to whoever waits for it (TCPClient), as in Tornado.
    if (!this.#closed && !CONNECTION_GONE.has(code ?? "") && syscall !== "connect" && syscall !== "getaddrinfo") {
      genLog.warning(`error on ${syscall ?? "socket"}: ${error.message}`);
    }
    this.close(error);
  }

  #resumeSocket(): void {
    if (this.#paused && !this.#closed) {
      this.#paused = false;
      this.socket.resume();
    }
  }

  #scheduleCloseCallback(): void {
    if (this.#closeCallbackScheduled || this.#detached) return;
    this.#closeCallbackScheduled = true;
    setImmediate(() => {
      this.#closeCallbackScheduled = false;
      const callback = this.#closeCallback;
      this.#closeCallback = null;
      if (callback === null) return;
      try {
        callback();
      } catch (error) {
        appLog.error("Exception in close callback", error);
      }
    });
  }
}

function isDestroyedError(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return code === "ERR_STREAM_DESTROYED" || code === "ECANCELED";
}
