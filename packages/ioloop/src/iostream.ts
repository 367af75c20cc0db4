/**
 * IOStream: Tornado's buffered, Promise-based reads and writes over a `net.Socket`.
 *
 * Received chunks are kept in a list (never concatenated per chunk); a delimiter search
 * resumes where the previous one stopped, including across chunk boundaries; a result that
 * lies inside one chunk is returned as a zero-copy `subarray`. The socket is paused when more
 * than a high-water mark is buffered and no read is pending, so a peer cannot make us buffer
 * without bound. Writes are plain `socket.write` calls without a callback: when the kernel takes
 * the bytes at once (the usual case) the write returns a settled Promise and costs nothing more;
 * else a zero-length write queued behind it calls back (in order, one shared callback) once
 * every byte before it was handed to the kernel, and that settles its Promise.
 * readChunks() is a push form of reading (each received chunk handed to one consumer, with
 * pause and resume) for parsers that take bytes as they come, without a Promise per chunk.
 *
 * Tornado: tornado.iostream.BaseIOStream / IOStream.
 */

import type * as net from "node:net";
import type * as tls from "node:tls";
import { ArgumentRangeError, ArgumentTypeError, checkPositiveInteger } from "@tornado/util";
import { StreamBufferFullError, StreamClosedError, UnsatisfiableReadError } from "./errors";
import { appLog, genLog } from "./log";
import { ReadBuffer } from "./read-buffer";
import { notifyStreamDetached } from "./stream-release";

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

/** TLS options accepted by startTls, SSLIOStream and TCPServer/TCPClient (Tornado: ssl_options). */
export type SSLOptions = tls.SecureContextOptions &
  Pick<
    tls.TLSSocketOptions,
    "requestCert" | "rejectUnauthorized" | "ALPNProtocols" | "SNICallback" | "secureContext"
  > &
  Pick<tls.ConnectionOptions, "checkServerIdentity" | "servername" | "session" | "minDHSize">;

/** What detach() hands over. */
export interface DetachedSocket {
  socket: net.Socket;
  /** Bytes already read from the socket but not consumed by a read. */
  buffered: Buffer;
}

const DEFAULT_MAX_BUFFER_SIZE = 104857600;
const MIN_HIGH_WATER = 262144;
const EMPTY = Buffer.alloc(0);

// Kinds of pending read.
const NONE = 0;
const UNTIL = 1;
const REGEX = 2;
const BYTES = 3;
const INTO = 4;
const CLOSE = 5;
const CHUNKS = 6;

const noop = (): void => {};

/** A settled Promise shared by every write the kernel took at once. */
const RESOLVED: Promise<void> = Promise.resolve();

/** A write's Promise and its settlers (made only for a write that has to wait). */
class WriteSettlers {
  resolve: () => void = noop;
  reject: (error: Error) => void = noop;
  readonly promise: Promise<void>;
  constructor() {
    this.promise = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}

/** Socket errors that only mean the peer went away: closed without a log line (Tornado's _is_connreset). */
export const CONNECTION_GONE = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "ETIMEDOUT", "ENOTCONN", "ESHUTDOWN"]);

/** A rejected Promise already marked handled: like Tornado's futures, never a process crash. */
function rejected<T>(error: Error): Promise<T> {
  const promise = Promise.reject(error);
  promise.catch(noop);
  return promise;
}

/** One cached Buffer per string delimiter, so `readUntil("\r\n")` does not encode per call. */
const delimiterCache = new Map<string, Buffer>();
function delimiterBuffer(delimiter: Buffer | Uint8Array | string): Buffer {
  if (typeof delimiter === "string") {
    let cached = delimiterCache.get(delimiter);
    if (cached === undefined) {
      cached = Buffer.from(delimiter, "utf8");
      if (delimiterCache.size < 256) delimiterCache.set(delimiter, cached);
    }
    return cached;
  }
  if (Buffer.isBuffer(delimiter)) return delimiter;
  if (delimiter instanceof Uint8Array) {
    return Buffer.from(delimiter.buffer, delimiter.byteOffset, delimiter.byteLength);
  }
  throw new ArgumentTypeError(`delimiter must be a Buffer or a string, got ${typeof delimiter}`);
}

/** `exec` on a RegExp with g or y depends on lastIndex; search with a flag-free copy instead. */
const regexCache = new WeakMap<RegExp, RegExp>();
function searchableRegex(regex: RegExp): RegExp {
  if (!(regex instanceof RegExp)) {
    throw new ArgumentTypeError(`regex must be a RegExp, got ${typeof regex}`);
  }
  if (!regex.global && !regex.sticky) return regex;
  let copy = regexCache.get(regex);
  if (copy === undefined) {
    copy = new RegExp(regex.source, regex.flags.replace(/[gy]/g, ""));
    regexCache.set(regex, copy);
  }
  return copy;
}

function checkMaxBytes(maxBytes: number | undefined): number {
  if (maxBytes === undefined || maxBytes === null) return -1;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new ArgumentRangeError(`maxBytes must be a non-negative integer of bytes, got ${maxBytes}`);
  }
  return maxBytes;
}

function checkSize(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  checkPositiveInteger(value, name, "bytes");
  return value;
}

/**
 * A buffered stream over a connected `net.Socket`, with Promise-returning reads and writes.
 * At most one read may be pending at a time (Tornado asserts the same); a read that the
 * buffer can already satisfy resolves without waiting for the socket.
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

  readonly #buffer = new ReadBuffer();
  #highWater: number;
  #paused = false;

  // The pending read.
  #kind = NONE;
  #resolve: ((value: never) => void) | null = null;
  #reject: ((error: Error) => void) | null = null;
  #delimiter: Buffer = EMPTY;
  // The last delimiter argument of readUntil and its bytes, so a string is encoded once.
  #cachedKey: Buffer | string | null = null;
  #cachedDelimiter: Buffer = EMPTY;
  #regex: RegExp | null = null;
  #regexText = "";
  #maxBytes = -1;
  #scanPos = 0;
  #numBytes = 0;
  #partial = false;
  #target: Buffer | null = null;
  #targetFilled = 0;
  #promise: Promise<unknown> | null = null;
  // readChunks: the consumer, whether it paused delivery, and whether a delivery loop runs.
  #consumer: ((chunk: Buffer) => void) | null = null;
  #chunksPaused = false;
  #delivering = false;

  #closed = false;
  #detached = false;
  #closeCallback: (() => void) | null = null;
  #closeCallbackScheduled = false;
  // The settlers of writes that wait for their marker's callback, in write order (callbacks
  // run in write order); #writeHead is the next one to settle.
  #writeQueue: Array<WriteSettlers | null> = [];
  #writeHead = 0;
  #unsentWrites = 0;
  readonly #onWritten = (error?: Error | null): void => {
    const queue = this.#writeQueue;
    const settlers = queue[this.#writeHead] as WriteSettlers;
    queue[this.#writeHead++] = null;
    if (this.#writeHead === queue.length) {
      queue.length = 0;
      this.#writeHead = 0;
    }
    this.#unsentWrites--;
    if (error) {
      const real = this.error ?? (isDestroyedError(error) ? undefined : error);
      if (!this.#closed) this.close(error);
      // An unawaited write that fails must not crash the process (Tornado only logs it);
      // marked here rather than on every write, which would cost a Promise per write.
      settlers.promise.catch(noop);
      settlers.reject(new StreamClosedError(real));
    } else {
      settlers.resolve();
    }
  };

  readonly #onData = (chunk: Buffer): void => {
    const buffer = this.#buffer;
    if (this.#kind === CHUNKS) {
      if (!this.#chunksPaused) {
        if (buffer.size === 0 && !this.#delivering) {
          this.#delivering = true;
          this.#deliver(chunk);
          this.#delivering = false;
        } else {
          buffer.push(chunk);
          this.#deliverChunks();
        }
        return;
      }
      // Paused by the consumer: buffered, and the socket paused at the high-water mark.
      buffer.push(chunk);
    } else {
      buffer.push(chunk);
    }
    if (this.#kind !== NONE && this.#kind !== CHUNKS) {
      if (this.#kind === REGEX) this.#regexText += chunk.toString("latin1");
      this.#tryFinishRead(false);
      if (this.#kind !== NONE) {
        // Node picks the chunk size, so the limit applies to a read that still needs more.
        if (buffer.size > this.maxBufferSize) {
          genLog.error("Reached maximum read buffer size");
          this.close(new StreamBufferFullError("Reached maximum read buffer size"));
        }
        return;
      }
    }
    if (buffer.size >= this.#highWater && !this.#paused && !this.#closed) {
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
   * @param socket a connected (or connecting) socket; the stream reads from it at once.
   * @param options buffer limits in bytes (see IOStreamOptions).
   */
  constructor(socket: net.Socket, options: IOStreamOptions = {}) {
    if (socket === null || typeof socket !== "object" || typeof socket.write !== "function") {
      throw new ArgumentTypeError(`socket must be a net.Socket, got ${String(socket)}`);
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
    socket.on("data", this.#onData);
    socket.on("end", this.#onEnd);
    socket.on("error", this.#onError);
    socket.on("close", this.#onClose);
    if (socket.readableFlowing === false) socket.resume();
    if (socket.destroyed) this.close();
  }

  /**
   * Reads until `delimiter` (included in the result) has been read.
   *
   * @param maxBytes bytes; when the delimiter is not found within this many bytes the stream is
   *   closed and the read rejects with UnsatisfiableReadError. Default unlimited.
   * Tornado: IOStream.read_until.
   */
  readUntil(delimiter: Buffer | string, maxBytes?: number): Promise<Buffer> {
    // Hot path (a line protocol, HTTP headers): the same delimiter as last time, found in the
    // first buffered chunk. Anything else takes the general path.
    if (delimiter === this.#cachedKey && this.#kind === NONE && (maxBytes === undefined || (Number.isSafeInteger(maxBytes) && maxBytes >= 0))) {
      const line = this.#buffer.takeFromFirstChunk(this.#cachedDelimiter, maxBytes ?? -1);
      if (line !== null) return Promise.resolve(line);
    }
    return this.#readUntilSlow(delimiter, maxBytes);
  }

  #readUntilSlow(delimiter: Buffer | string, maxBytes: number | undefined): Promise<Buffer> {
    const delim = delimiter === this.#cachedKey ? this.#cachedDelimiter : delimiterBuffer(delimiter);
    if (delim.length === 0) throw new ArgumentRangeError("delimiter must not be empty");
    const max = maxBytes === undefined ? -1 : checkMaxBytes(maxBytes);
    this.#checkIdle();
    this.#cachedKey = delimiter;
    this.#cachedDelimiter = delim;
    this.#delimiter = delim;
    this.#maxBytes = max;
    this.#scanPos = 0;
    if (this.#buffer.size > 0) {
      const end = this.#findDelimiter();
      if (end >= 0 && (max < 0 || end <= max)) return Promise.resolve(this.#buffer.take(end));
      if (end >= 0 || (max >= 0 && this.#buffer.size > max)) return this.#unsatisfiable(delim, max);
    }
    return this.#pend(UNTIL);
  }

  /**
   * Reads until `regex` matches; the result ends with the match. The buffer is matched as
   * latin1 text, so one character is one byte (write byte patterns such as /\r?\n\r?\n/).
   *
   * @param maxBytes bytes; as for readUntil. Tornado: IOStream.read_until_regex.
   */
  readUntilRegex(regex: RegExp, maxBytes?: number): Promise<Buffer> {
    const searchable = searchableRegex(regex);
    const max = checkMaxBytes(maxBytes);
    this.#checkIdle();
    this.#regex = searchable;
    this.#maxBytes = max;
    this.#regexText = this.#buffer.latin1();
    if (this.#buffer.size > 0) {
      const end = this.#findRegex();
      if (end >= 0 && (max < 0 || end <= max)) {
        this.#regex = null;
        this.#regexText = "";
        return Promise.resolve(this.#buffer.take(end));
      }
      if (end >= 0 || (max >= 0 && this.#buffer.size > max)) return this.#unsatisfiable(regex, max);
    }
    return this.#pend(REGEX);
  }

  /**
   * Reads `numBytes` bytes; with `partial`, resolves as soon as any bytes are available, with
   * at most numBytes (and at most one received chunk, so that no bytes are copied).
   *
   * @param numBytes bytes, a non-negative integer. Tornado: IOStream.read_bytes.
   */
  readBytes(numBytes: number, partial = false): Promise<Buffer> {
    if (!Number.isSafeInteger(numBytes) || numBytes < 0) {
      throw new ArgumentRangeError(`numBytes must be a non-negative integer, got ${numBytes}`);
    }
    this.#checkIdle();
    const buffer = this.#buffer;
    if (partial && buffer.size > 0) return Promise.resolve(buffer.take(buffer.firstChunkLength(numBytes)));
    if (buffer.size >= numBytes) return Promise.resolve(buffer.take(numBytes));
    this.#numBytes = numBytes;
    this.#partial = partial;
    return this.#pend(BYTES);
  }

  /**
   * Reads into `buffer` until it is full (or, with `partial`, until any bytes were read) and
   * resolves with the number of bytes written into it. Tornado: IOStream.read_into.
   */
  readInto(buffer: Buffer | Uint8Array, partial = false): Promise<number> {
    if (!(buffer instanceof Uint8Array)) {
      throw new ArgumentTypeError(`buffer must be a Buffer or Uint8Array, got ${typeof buffer}`);
    }
    this.#checkIdle();
    const target = Buffer.isBuffer(buffer)
      ? buffer
      : Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    const filled = this.#buffer.takeInto(target, 0, target.length);
    if (filled === target.length || (partial && filled > 0)) return Promise.resolve(filled);
    this.#target = target;
    this.#targetFilled = filled;
    this.#partial = partial;
    return this.#pend(INTO);
  }

  /**
   * Reads everything until the peer closes; resolves with the data even if the stream is
   * already closed, or closes with an error. Tornado: IOStream.read_until_close.
   */
  readUntilClose(): Promise<Buffer> {
    this.#checkIdle();
    if (this.#closed) return Promise.resolve(this.#buffer.take(this.#buffer.size));
    return this.#pend(CLOSE);
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
    if (typeof onChunk !== "function") {
      throw new ArgumentTypeError(`onChunk must be a function, got ${typeof onChunk}`);
    }
    this.#checkIdle();
    if (this.#closed) throw new StreamClosedError(this.error ?? undefined);
    this.#kind = CHUNKS;
    this.#consumer = onChunk;
    this.#chunksPaused = false;
    this.#deliverChunks();
    this.#resumeSocket();
  }

  /** Stops readChunks() delivery until resumeChunks(); arriving bytes are buffered. */
  pauseChunks(): void {
    if (this.#kind === CHUNKS) this.#chunksPaused = true;
  }

  /** Delivers the bytes buffered while paused (synchronously), then each chunk as it comes. */
  resumeChunks(): void {
    if (this.#kind !== CHUNKS || !this.#chunksPaused) return;
    this.#chunksPaused = false;
    this.#deliverChunks();
    this.#resumeSocket();
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
    const settlers = new WriteSettlers();
    this.#writeQueue.push(settlers);
    this.#unsentWrites++;
    socket.write(EMPTY, this.#onWritten);
    return settlers.promise;
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
    if (this.#kind === CLOSE) {
      this.#finish(this.#buffer.take(this.#buffer.size));
    } else if (this.#kind !== NONE && !this.#tryFinishRead(true)) {
      this.#rejectRead(new StreamClosedError(this.error ?? undefined));
    }
    if (!this.socket.destroyed) this.socket.destroy();
    this.#scheduleCloseCallback();
  }

  /** True once the stream has closed (or been detached). Tornado: IOStream.closed(). */
  closed(): boolean {
    return this.#closed;
  }

  /** True while a read is pending. Tornado: IOStream.reading(). */
  reading(): boolean {
    return this.#kind !== NONE;
  }

  /** True while written data has not yet been handed to the kernel. Tornado: writing(). */
  writing(): boolean {
    return this.#unsentWrites > 0;
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
    this.#removeListeners();
    // Node's http server does the same on upgrade: not flowing, yet not explicitly paused, so
    // that the new owner's first 'data' listener resumes the socket.
    const state = (socket as unknown as { _readableState?: { flowing: boolean | null } })
      ._readableState;
    if (state) state.flowing = null;
    const buffered = this.#buffer.take(this.#buffer.size);
    this.#closed = true;
    this.#detached = true;
    if (this.#kind !== NONE) this.#rejectRead(new StreamClosedError());
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
  startTls(serverSide: boolean, sslOptions: SSLOptions = {}, serverHostname?: string): Promise<import("./ssl-iostream").SSLIOStream> {
    if (this.#kind !== NONE || this.#unsentWrites > 0) {
      return Promise.reject(new Error("IOStream is not idle; cannot convert to SSL"));
    }
    if (this.#closed) return Promise.reject(new StreamClosedError(this.error ?? undefined));
    const closeCallback = this.#closeCallback;
    const options: IOStreamOptions = {
      maxBufferSize: this.maxBufferSize,
      readChunkSize: this.readChunkSize,
      maxWriteBufferSize: this.maxWriteBufferSize,
    };
    const { socket, buffered } = this.detach();
    if (buffered.length > 0) socket.unshift(buffered);
    // Required lazily: ssl-iostream.ts imports this module.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SSLIOStream, wrapTlsSocket } = require("./ssl-iostream") as typeof import("./ssl-iostream");
    const tlsSocket = wrapTlsSocket(socket, serverSide, sslOptions, serverHostname);
    const stream = new SSLIOStream(tlsSocket, { ...options, serverSide });
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

  // ---- reading internals ----

  #checkIdle(): void {
    if (this.#kind !== NONE) {
      throw new Error("Already reading: an IOStream allows one pending read at a time");
    }
  }

  #pend<T>(kind: number): Promise<T> {
    if (this.#closed) {
      this.#clearRead();
      return rejected(new StreamClosedError(this.error ?? undefined));
    }
    const promise = new Promise<T>((resolve, reject) => {
      this.#resolve = resolve as (value: never) => void;
      this.#reject = reject;
    });
    this.#promise = promise;
    this.#kind = kind;
    this.#resumeSocket();
    return promise;
  }

  #resumeSocket(): void {
    if (this.#paused && !this.#closed) {
      this.#paused = false;
      this.socket.resume();
    }
  }

  #clearRead(): void {
    this.#kind = NONE;
    this.#resolve = null;
    this.#reject = null;
    this.#promise = null;
    this.#regex = null;
    this.#regexText = "";
    this.#target = null;
    this.#consumer = null;
    this.#chunksPaused = false;
  }

  /** Hands `chunk` to the readChunks consumer; an exception closes the stream. */
  #deliver(chunk: Buffer): void {
    try {
      (this.#consumer as (chunk: Buffer) => void)(chunk);
    } catch (error) {
      appLog.error("Exception in readChunks consumer", error);
      this.close(error as Error);
    }
  }

  /** Delivers buffered chunks while readChunks is active and not paused. */
  #deliverChunks(): void {
    if (this.#delivering) return; // the running loop goes on
    const buffer = this.#buffer;
    this.#delivering = true;
    while (this.#kind === CHUNKS && !this.#chunksPaused && buffer.size > 0) {
      this.#deliver(buffer.take(buffer.firstChunkLength(buffer.size)));
    }
    this.#delivering = false;
  }

  #finish(value: unknown): void {
    const resolve = this.#resolve as ((value: unknown) => void) | null;
    this.#clearRead();
    if (resolve !== null) resolve(value);
  }

  #rejectRead(error: Error): void {
    const reject = this.#reject;
    // As with Tornado's futures, a read nobody awaits must not crash the process (marked
    // only when it fails: a Promise per read saved).
    if (this.#promise !== null) this.#promise.catch(noop);
    this.#clearRead();
    if (reject !== null) reject(error);
  }

  /** Completes the pending read if the buffer allows; returns whether it completed. */
  #tryFinishRead(closing: boolean): boolean {
    switch (this.#kind) {
      case UNTIL: {
        const max = this.#maxBytes;
        const end = this.#findDelimiter();
        if (end >= 0 && (max < 0 || end <= max)) {
          this.#finish(this.#buffer.take(end));
          return true;
        }
        if (!closing && (end >= 0 || (max >= 0 && this.#buffer.size > max))) {
          this.#failUnsatisfiable(this.#delimiter, max);
          return true;
        }
        return false;
      }
      case REGEX: {
        const max = this.#maxBytes;
        const end = this.#findRegex();
        if (end >= 0 && (max < 0 || end <= max)) {
          this.#finish(this.#buffer.take(end));
          return true;
        }
        if (!closing && (end >= 0 || (max >= 0 && this.#buffer.size > max))) {
          this.#failUnsatisfiable(this.#regex as RegExp, max);
          return true;
        }
        return false;
      }
      case BYTES: {
        const buffer = this.#buffer;
        if (this.#partial && buffer.size > 0) {
          this.#finish(buffer.take(buffer.firstChunkLength(this.#numBytes)));
          return true;
        }
        if (buffer.size >= this.#numBytes) {
          this.#finish(buffer.take(this.#numBytes));
          return true;
        }
        return false;
      }
      case INTO: {
        const target = this.#target as Buffer;
        const filled = (this.#targetFilled += this.#buffer.takeInto(target, this.#targetFilled, target.length - this.#targetFilled));
        if (filled === target.length || (this.#partial && filled > 0)) {
          this.#finish(filled);
          return true;
        }
        return false;
      }
      default:
        return false;
    }
  }

  /** As in Tornado, the read rejects with StreamClosedError whose realError says why. */
  #unsatisfiable(what: Buffer | RegExp, max: number): Promise<Buffer> {
    this.#failUnsatisfiable(what, max);
    return rejected(new StreamClosedError(this.error ?? undefined));
  }

  #failUnsatisfiable(what: Buffer | RegExp, max: number): void {
    const error = unsatisfiableError(what, max);
    genLog.info(`Unsatisfiable read, closing connection: ${error.message}`);
    this.close(error);
  }

  /**
   * The end of the first delimiter at or after #scanPos, or -1; remembers how far the search
   * got, so that the next chunk does not rescan what was searched.
   */
  #findDelimiter(): number {
    const end = this.#buffer.findDelimiter(this.#delimiter, this.#scanPos);
    if (end === -1) this.#scanPos = Math.max(this.#scanPos, this.#buffer.size - this.#delimiter.length + 1);
    return end;
  }

  #findRegex(): number {
    const match = (this.#regex as RegExp).exec(this.#regexText);
    return match === null ? -1 : match.index + match[0].length;
  }

  // ---- closing internals ----

  #removeListeners(): void {
    this.socket.removeListener("data", this.#onData);
    this.socket.removeListener("end", this.#onEnd);
    this.socket.removeListener("error", this.#onError);
    this.socket.removeListener("close", this.#onClose);
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

function unsatisfiableError(what: Buffer | RegExp, max: number): UnsatisfiableReadError {
  const shown = what instanceof RegExp ? String(what) : JSON.stringify(what.toString("latin1"));
  return new UnsatisfiableReadError(
    max >= 0
      ? `${what instanceof RegExp ? "regex" : "delimiter"} ${shown} not found within ${max} bytes`
      : `${what instanceof RegExp ? "regex" : "delimiter"} ${shown} can never match`,
  );
}

function isDestroyedError(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return code === "ERR_STREAM_DESTROYED" || code === "ECANCELED";
}
