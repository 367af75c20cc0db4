/**
 * IOStream: Tornado's buffered, Promise-based reads and writes over a `net.Socket`.
 *
 * Received chunks are kept in a list (never concatenated per chunk); a delimiter search
 * resumes where the previous one stopped, including across chunk boundaries; a result that
 * lies inside one chunk is returned as a zero-copy `subarray`. The socket is paused when more
 * than a high-water mark is buffered and no read is pending, so a peer cannot make us buffer
 * without bound. Writes are plain `socket.write` calls whose callback settles the Promise.
 *
 * Tornado: tornado.iostream.BaseIOStream / IOStream.
 */

import type * as net from "node:net";
import type * as tls from "node:tls";
import { StreamBufferFullError, StreamClosedError, UnsatisfiableReadError } from "./errors";
import { appLog, genLog } from "./log";

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

const noop = (): void => {};

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
  throw new TypeError(`delimiter must be a Buffer or a string, got ${typeof delimiter}`);
}

/** `exec` on a RegExp with g or y depends on lastIndex; search with a flag-free copy instead. */
const regexCache = new WeakMap<RegExp, RegExp>();
function searchableRegex(regex: RegExp): RegExp {
  if (!(regex instanceof RegExp)) {
    throw new TypeError(`regex must be a RegExp, got ${typeof regex}`);
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
    throw new RangeError(`maxBytes must be a non-negative integer of bytes, got ${maxBytes}`);
  }
  return maxBytes;
}

function checkSize(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive integer of bytes, got ${value}`);
  }
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

  // The read buffer: live chunks are #chunks[#head..], of which #offset bytes of the first
  // one are already consumed; #size counts the unconsumed bytes.
  #chunks: Buffer[] = [];
  #head = 0;
  #offset = 0;
  #size = 0;
  #highWater: number;
  #paused = false;

  // The pending read.
  #kind = NONE;
  #resolve: ((value: never) => void) | null = null;
  #reject: ((error: Error) => void) | null = null;
  #delimiter: Buffer = EMPTY;
  #lastDelimiterKey: Buffer | string | null = null;
  #regex: RegExp | null = null;
  #regexText = "";
  #maxBytes = -1;
  #scanPos = 0;
  #numBytes = 0;
  #partial = false;
  #target: Buffer | null = null;
  #targetFilled = 0;

  #closed = false;
  #detached = false;
  #closeCallback: (() => void) | null = null;
  #closeCallbackScheduled = false;
  #pendingWrites = 0;

  readonly #onData = (chunk: Buffer): void => {
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    if (this.#kind !== NONE) {
      if (this.#kind === REGEX) this.#regexText += chunk.toString("latin1");
      this.#tryFinishRead(false);
      if (this.#kind !== NONE) {
        // Node picks the chunk size, so the limit applies to a read that still needs more.
        if (this.#size > this.maxBufferSize) {
          genLog.error("Reached maximum read buffer size");
          this.close(new StreamBufferFullError("Reached maximum read buffer size"));
        }
        return;
      }
    }
    if (this.#size >= this.#highWater && !this.#paused && !this.#closed) {
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
      throw new TypeError(`socket must be a net.Socket, got ${String(socket)}`);
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
    // Hot path (a line protocol, HTTP headers): same delimiter as last time, found in the
    // first buffered chunk. Anything else takes the general path below.
    if (delimiter === this.#lastDelimiterKey && this.#kind === NONE && this.#size > 0) {
      const chunk = this.#chunks[this.#head] as Buffer;
      const from = this.#offset;
      const index = indexInChunk(chunk, this.#delimiter, from);
      if (index !== -1) {
        const length = index + this.#delimiter.length - from;
        if (maxBytes === undefined || (Number.isSafeInteger(maxBytes) && length <= maxBytes)) {
          const out = chunk.subarray(from, from + length);
          this.#advance(chunk, length);
          this.#size -= length;
          return Promise.resolve(out);
        }
      }
    }
    return this.#readUntilSlow(delimiter, maxBytes);
  }

  #readUntilSlow(delimiter: Buffer | string, maxBytes: number | undefined): Promise<Buffer> {
    let delim: Buffer;
    if (delimiter === this.#lastDelimiterKey) {
      delim = this.#delimiter;
    } else {
      delim = delimiterBuffer(delimiter);
      if (delim.length === 0) throw new RangeError("delimiter must not be empty");
      this.#lastDelimiterKey = delimiter;
    }
    const max = maxBytes === undefined ? -1 : checkMaxBytes(maxBytes);
    this.#checkIdle();
    this.#delimiter = delim;
    this.#maxBytes = max;
    this.#scanPos = 0;
    if (this.#size > 0) {
      const end = this.#findDelimiter();
      if (end >= 0 && (max < 0 || end <= max)) return Promise.resolve(this.#consume(end));
      if (end >= 0 || (max >= 0 && this.#size > max)) return this.#unsatisfiable(delim, max);
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
    this.#regexText = this.#latin1Buffered();
    if (this.#size > 0) {
      const end = this.#findRegex();
      if (end >= 0 && (max < 0 || end <= max)) {
        this.#regex = null;
        this.#regexText = "";
        return Promise.resolve(this.#consume(end));
      }
      if (end >= 0 || (max >= 0 && this.#size > max)) return this.#unsatisfiable(regex, max);
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
      throw new RangeError(`numBytes must be a non-negative integer, got ${numBytes}`);
    }
    this.#checkIdle();
    const size = this.#size;
    if (partial && size > 0) return Promise.resolve(this.#consume(this.#partialLength(numBytes)));
    if (size >= numBytes) return Promise.resolve(this.#consume(numBytes));
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
      throw new TypeError(`buffer must be a Buffer or Uint8Array, got ${typeof buffer}`);
    }
    this.#checkIdle();
    const target = Buffer.isBuffer(buffer)
      ? buffer
      : Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    this.#target = target;
    this.#targetFilled = 0;
    this.#partial = partial;
    this.#fillTarget();
    if (this.#targetFilled === target.length || (partial && this.#targetFilled > 0)) {
      const filled = this.#targetFilled;
      this.#target = null;
      return Promise.resolve(filled);
    }
    return this.#pend(INTO);
  }

  /**
   * Reads everything until the peer closes; resolves with the data even if the stream is
   * already closed, or closes with an error. Tornado: IOStream.read_until_close.
   */
  readUntilClose(): Promise<Buffer> {
    this.#checkIdle();
    if (this.#closed) return Promise.resolve(this.#consume(this.#size));
    return this.#pend(CLOSE);
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
      throw new TypeError(`data must be a Buffer, Uint8Array or string, got ${typeof data}`);
    }
    const max = this.maxWriteBufferSize;
    if (max !== undefined) {
      const length = typeof data === "string" ? Buffer.byteLength(data) : data.byteLength;
      if (this.socket.writableLength + length > max) {
        return rejected(new StreamBufferFullError("Reached maximum write buffer size"));
      }
    }
    this.#pendingWrites++;
    const promise = new Promise<void>((resolve, reject) => {
      this.socket.write(data, (error) => {
        this.#pendingWrites--;
        if (error) {
          const real = this.error ?? (isDestroyedError(error) ? undefined : error);
          if (!this.#closed) this.close(error);
          reject(new StreamClosedError(real));
        } else {
          resolve();
        }
      });
    });
    // An unawaited write that fails must not crash the process (Tornado only logs it).
    promise.catch(noop);
    return promise;
  }

  /**
   * Sets the callback run (on a later turn of the loop) when the stream closes. Unlike
   * Tornado, a callback set after the close still runs once. Tornado: set_close_callback.
   */
  setCloseCallback(callback: (() => void) | null): void {
    if (callback !== null && typeof callback !== "function") {
      throw new TypeError(`close callback must be a function or null, got ${typeof callback}`);
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
      this.#finish(this.#consume(this.#size));
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
    return this.#pendingWrites > 0;
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
    const buffered = this.#consume(this.#size);
    this.#closed = true;
    this.#detached = true;
    if (this.#kind !== NONE) this.#rejectRead(new StreamClosedError());
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
    if (this.#kind !== NONE || this.#pendingWrites > 0) {
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
    // As with Tornado's futures, a read nobody awaits must not crash the process.
    promise.catch(noop);
    this.#kind = kind;
    if (this.#paused) {
      this.#paused = false;
      this.socket.resume();
    }
    return promise;
  }

  #clearRead(): void {
    this.#kind = NONE;
    this.#resolve = null;
    this.#reject = null;
    this.#regex = null;
    this.#regexText = "";
    this.#target = null;
  }

  #finish(value: unknown): void {
    const resolve = this.#resolve as ((value: unknown) => void) | null;
    this.#clearRead();
    if (resolve !== null) resolve(value);
  }

  #rejectRead(error: Error): void {
    const reject = this.#reject;
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
          this.#finish(this.#consume(end));
          return true;
        }
        if (!closing && (end >= 0 || (max >= 0 && this.#size > max))) {
          this.#failUnsatisfiable(this.#delimiter, max);
          return true;
        }
        return false;
      }
      case REGEX: {
        const max = this.#maxBytes;
        const end = this.#findRegex();
        if (end >= 0 && (max < 0 || end <= max)) {
          this.#finish(this.#consume(end));
          return true;
        }
        if (!closing && (end >= 0 || (max >= 0 && this.#size > max))) {
          this.#failUnsatisfiable(this.#regex as RegExp, max);
          return true;
        }
        return false;
      }
      case BYTES: {
        const size = this.#size;
        if (this.#partial && size > 0) {
          this.#finish(this.#consume(this.#partialLength(this.#numBytes)));
          return true;
        }
        if (size >= this.#numBytes) {
          this.#finish(this.#consume(this.#numBytes));
          return true;
        }
        return false;
      }
      case INTO: {
        this.#fillTarget();
        const filled = this.#targetFilled;
        if (filled === (this.#target as Buffer).length || (this.#partial && filled > 0)) {
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
   * Returns the end (exclusive, relative to the unconsumed data) of the first match of the
   * delimiter at or after #scanPos, or -1, and remembers how far the search got.
   */
  #findDelimiter(): number {
    const delimiter = this.#delimiter;
    const length = delimiter.length;
    const chunks = this.#chunks;
    const start = this.#scanPos;
    let base = 0;
    for (let i = this.#head; i < chunks.length; i++) {
      const chunk = chunks[i] as Buffer;
      const offset = i === this.#head ? this.#offset : 0;
      const end = base + chunk.length - offset;
      if (start < end) {
        const from = offset + (start > base ? start - base : 0);
        const index = indexInChunk(chunk, delimiter, from);
        if (index !== -1) return base + (index - offset) + length;
        // A match may start in the last length-1 bytes of this chunk and end in later ones.
        if (length > 1 && i + 1 < chunks.length) {
          for (let p = Math.max(start, end - length + 1); p < end; p++) {
            if (this.#matchesAcross(delimiter, i, offset + (p - base))) return p + length;
          }
        }
      }
      base = end;
    }
    this.#scanPos = Math.max(start, this.#size - length + 1);
    return -1;
  }

  #matchesAcross(delimiter: Buffer, chunkIndex: number, position: number): boolean {
    const chunks = this.#chunks;
    let index = chunkIndex;
    let chunk = chunks[index] as Buffer;
    let at = position;
    for (let k = 0; k < delimiter.length; k++) {
      while (at >= chunk.length) {
        index++;
        if (index >= chunks.length) return false;
        chunk = chunks[index] as Buffer;
        at = 0;
      }
      if (chunk[at] !== delimiter[k]) return false;
      at++;
    }
    return true;
  }

  #findRegex(): number {
    const match = (this.#regex as RegExp).exec(this.#regexText);
    return match === null ? -1 : match.index + match[0].length;
  }

  #latin1Buffered(): string {
    let text = "";
    const chunks = this.#chunks;
    for (let i = this.#head; i < chunks.length; i++) {
      const chunk = chunks[i] as Buffer;
      text += chunk.toString("latin1", i === this.#head ? this.#offset : 0);
    }
    return text;
  }

  #fillTarget(): void {
    const target = this.#target as Buffer;
    const want = target.length - this.#targetFilled;
    const take = Math.min(want, this.#size);
    if (take === 0) return;
    const chunks = this.#chunks;
    let copied = 0;
    while (copied < take) {
      const chunk = chunks[this.#head] as Buffer;
      const n = Math.min(chunk.length - this.#offset, take - copied);
      chunk.copy(target, this.#targetFilled + copied, this.#offset, this.#offset + n);
      copied += n;
      this.#advance(chunk, n);
    }
    this.#size -= take;
    this.#targetFilled += take;
  }

  /**
   * How much a partial read returns: what the first buffered chunk holds, up to `numBytes`.
   * Joining later chunks would copy; a partial read may return less than is buffered.
   */
  #partialLength(numBytes: number): number {
    const first = this.#chunks[this.#head] as Buffer;
    return Math.min(numBytes, first.length - this.#offset);
  }

  /** Removes `n` bytes from the front of the buffer and returns them (zero-copy if possible). */
  #consume(n: number): Buffer {
    if (n === 0) return EMPTY;
    const chunks = this.#chunks;
    const first = chunks[this.#head] as Buffer;
    const offset = this.#offset;
    let out: Buffer;
    if (n <= first.length - offset) {
      out = offset === 0 && n === first.length ? first : first.subarray(offset, offset + n);
      this.#advance(first, n);
    } else {
      out = Buffer.allocUnsafe(n);
      let copied = 0;
      while (copied < n) {
        const chunk = chunks[this.#head] as Buffer;
        const take = Math.min(chunk.length - this.#offset, n - copied);
        chunk.copy(out, copied, this.#offset, this.#offset + take);
        copied += take;
        this.#advance(chunk, take);
      }
    }
    this.#size -= n;
    return out;
  }

  #advance(chunk: Buffer, n: number): void {
    const offset = this.#offset + n;
    if (offset < chunk.length) {
      this.#offset = offset;
      return;
    }
    const chunks = this.#chunks;
    chunks[this.#head] = EMPTY;
    this.#head++;
    this.#offset = 0;
    if (this.#head === chunks.length) {
      chunks.length = 0;
      this.#head = 0;
    } else if (this.#head >= 64 && this.#head * 2 >= chunks.length) {
      chunks.splice(0, this.#head);
      this.#head = 0;
    }
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

/** Longest delimiter searched by its first byte (memchr) rather than Buffer.indexOf(Buffer). */
const SHORT_DELIMITER = 4;

/**
 * The index of the first occurrence of `delimiter` lying wholly inside `chunk` at or after
 * `from`, or -1. Short delimiters ("\r\n", "\r\n\r\n") are found with indexOf(byte),
 * a memchr about twice as fast as indexOf(Buffer), then checked byte by byte.
 */
function indexInChunk(chunk: Buffer, delimiter: Buffer, from: number): number {
  const length = delimiter.length;
  if (length > SHORT_DELIMITER) return chunk.indexOf(delimiter, from);
  const first = delimiter[0] as number;
  const last = chunk.length - length;
  let index = chunk.indexOf(first, from);
  while (index !== -1 && index <= last) {
    let k = 1;
    while (k < length && chunk[index + k] === delimiter[k]) k++;
    if (k === length) return index;
    index = chunk.indexOf(first, index + 1);
  }
  return -1;
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
