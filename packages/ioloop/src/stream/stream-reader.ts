/**
 * StreamReader: the read side of an IOStream. It owns the ReadBuffer and the one pending read
 * (readUntil, readUntilRegex, readBytes, readInto, readUntilClose, or the push form
 * readChunks), completes it as bytes arrive, and asks its stream to close when a read can
 * never be satisfied. Internal to IOStream: one reader per stream.
 *
 * Tornado: the read half of BaseIOStream (_read_to_buffer_loop, _find_read_pos, ...).
 */

import { ArgumentRangeError, ArgumentTypeError } from "@tornado/util";
import { IOStreamBusyError, StreamBufferFullError, StreamClosedError, UnsatisfiableReadError } from "../errors";
import { appLog, genLog } from "../log/logger";
import { ReadBuffer } from "./read-buffer";

/** What the reader needs from its stream: a narrow view, not the class. */
export interface ReaderHost {
  readonly maxBufferSize: number;
  /** The error the stream closed with, if any. */
  streamError(): Error | null;
  closed(): boolean;
  close(error?: Error): void;
  /** A read is waiting for bytes: the socket must flow. */
  resumeReading(): void;
}

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

/** A rejected Promise already marked handled: like Tornado's futures, never a process crash. */
export function rejected<T>(error: Error): Promise<T> {
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

function unsatisfiableError(what: Buffer | RegExp, max: number): UnsatisfiableReadError {
  const kind = what instanceof RegExp ? "regex" : "delimiter";
  const shown = what instanceof RegExp ? String(what) : JSON.stringify(what.toString("latin1"));
  return new UnsatisfiableReadError(
    max >= 0 ? `${kind} ${shown} not found within ${max} bytes` : `${kind} ${shown} can never match`,
  );
}

export class StreamReader {
  readonly buffer = new ReadBuffer();
  readonly #host: ReaderHost;
  #kind = NONE;
  #resolve: ((value: never) => void) | null = null;
  #reject: ((error: Error) => void) | null = null;
  #promise: Promise<unknown> | null = null;
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
  // readChunks: the consumer, whether it paused delivery, and whether a delivery loop runs.
  #consumer: ((chunk: Buffer) => void) | null = null;
  #chunksPaused = false;
  #delivering = false;

  constructor(host: ReaderHost) {
    this.#host = host;
  }

  /** True while a read is pending (readChunks included). */
  get reading(): boolean {
    return this.#kind !== NONE;
  }

  /** True while readChunks is active (paused or not). */
  get pushing(): boolean {
    return this.#kind === CHUNKS;
  }

  readUntil(delimiter: Buffer | string, maxBytes?: number): Promise<Buffer> {
    // Hot path (a line protocol, HTTP headers): the same delimiter as last time, found in the
    // first buffered chunk. Anything else takes the general path.
    if (delimiter === this.#cachedKey && this.#kind === NONE && (maxBytes === undefined || (Number.isSafeInteger(maxBytes) && maxBytes >= 0))) {
      const line = this.buffer.takeFromFirstChunk(this.#cachedDelimiter, maxBytes ?? -1);
      if (line !== null) return Promise.resolve(line);
    }
    const delim = delimiter === this.#cachedKey ? this.#cachedDelimiter : delimiterBuffer(delimiter);
    if (delim.length === 0) throw new ArgumentRangeError("delimiter must not be empty");
    const max = maxBytes === undefined ? -1 : checkMaxBytes(maxBytes);
    this.#checkIdle();
    this.#cachedKey = delimiter;
    this.#cachedDelimiter = delim;
    this.#delimiter = delim;
    this.#maxBytes = max;
    this.#scanPos = 0;
    if (this.buffer.size > 0) {
      const end = this.#findDelimiter();
      if (end >= 0 && (max < 0 || end <= max)) return Promise.resolve(this.buffer.take(end));
      if (end >= 0 || (max >= 0 && this.buffer.size > max)) return this.#unsatisfiable(delim, max);
    }
    return this.#pend(UNTIL);
  }

  readUntilRegex(regex: RegExp, maxBytes?: number): Promise<Buffer> {
    const searchable = searchableRegex(regex);
    const max = checkMaxBytes(maxBytes);
    this.#checkIdle();
    this.#regex = searchable;
    this.#maxBytes = max;
    this.#regexText = this.buffer.latin1();
    if (this.buffer.size > 0) {
      const end = this.#findRegex();
      if (end >= 0 && (max < 0 || end <= max)) {
        this.#regex = null;
        this.#regexText = "";
        return Promise.resolve(this.buffer.take(end));
      }
      if (end >= 0 || (max >= 0 && this.buffer.size > max)) return this.#unsatisfiable(regex, max);
    }
    return this.#pend(REGEX);
  }

  readBytes(numBytes: number, partial: boolean): Promise<Buffer> {
    if (!Number.isSafeInteger(numBytes) || numBytes < 0) {
      throw new ArgumentRangeError(`numBytes must be a non-negative integer, got ${numBytes}`);
    }
    this.#checkIdle();
    const buffer = this.buffer;
    if (partial && buffer.size > 0) return Promise.resolve(buffer.take(buffer.firstChunkLength(numBytes)));
    if (buffer.size >= numBytes) return Promise.resolve(buffer.take(numBytes));
    this.#numBytes = numBytes;
    this.#partial = partial;
    return this.#pend(BYTES);
  }

  readInto(target: Buffer | Uint8Array, partial: boolean): Promise<number> {
    if (!(target instanceof Uint8Array)) {
      throw new ArgumentTypeError(`buffer must be a Buffer or Uint8Array, got ${typeof target}`);
    }
    this.#checkIdle();
    const into = Buffer.isBuffer(target) ? target : Buffer.from(target.buffer, target.byteOffset, target.byteLength);
    const filled = this.buffer.takeInto(into, 0, into.length);
    if (filled === into.length || (partial && filled > 0)) return Promise.resolve(filled);
    this.#target = into;
    this.#targetFilled = filled;
    this.#partial = partial;
    return this.#pend(INTO);
  }

  readUntilClose(): Promise<Buffer> {
    this.#checkIdle();
    if (this.#host.closed()) return Promise.resolve(this.buffer.take(this.buffer.size));
    return this.#pend(CLOSE);
  }

  readChunks(onChunk: (chunk: Buffer) => void): void {
    if (typeof onChunk !== "function") {
      throw new ArgumentTypeError(`onChunk must be a function, got ${typeof onChunk}`);
    }
    this.#checkIdle();
    if (this.#host.closed()) throw new StreamClosedError(this.#host.streamError() ?? undefined);
    this.#kind = CHUNKS;
    this.#consumer = onChunk;
    this.#chunksPaused = false;
    this.#deliverChunks();
    this.#host.resumeReading();
  }

  pauseChunks(): void {
    if (this.#kind === CHUNKS) this.#chunksPaused = true;
  }

  resumeChunks(): void {
    if (this.#kind !== CHUNKS || !this.#chunksPaused) return;
    this.#chunksPaused = false;
    this.#deliverChunks();
    this.#host.resumeReading();
  }

  /**
   * A chunk arrived. Returns true when the stream should apply flow control (nothing consumed
   * it: no pending read, or readChunks paused).
   */
  onData(chunk: Buffer): boolean {
    const buffer = this.buffer;
    const kind = this.#kind;
    if (kind === CHUNKS) {
      if (!this.#chunksPaused) {
        if (buffer.size === 0 && !this.#delivering) {
          this.#delivering = true;
          this.#deliver(chunk);
          this.#delivering = false;
        } else {
          buffer.push(chunk);
          this.#deliverChunks();
        }
        return false;
      }
      // Paused by the consumer: buffered, and the socket paused at the high-water mark.
      buffer.push(chunk);
      return true;
    }
    buffer.push(chunk);
    if (kind !== NONE) {
      if (kind === REGEX) this.#regexText += chunk.toString("latin1");
      this.#tryFinishRead(false);
      if (this.#kind !== NONE) {
        // Node picks the chunk size, so the limit applies to a read that still needs more.
        if (buffer.size > this.#host.maxBufferSize) {
          genLog.error("Reached maximum read buffer size");
          this.#host.close(new StreamBufferFullError("Reached maximum read buffer size"));
        }
        return false;
      }
    }
    return true;
  }

  /** The stream closed: settle the pending read with what is buffered, or reject it. */
  onClose(): void {
    if (this.#kind === CLOSE) {
      this.#finish(this.buffer.take(this.buffer.size));
    } else if (this.#kind !== NONE && !this.#tryFinishRead(true)) {
      this.rejectRead(new StreamClosedError(this.#host.streamError() ?? undefined));
    }
  }

  rejectRead(error: Error): void {
    const reject = this.#reject;
    // As with Tornado's futures, a read nobody awaits must not crash the process (marked
    // only when it fails: a Promise per read saved).
    if (this.#promise !== null) this.#promise.catch(noop);
    this.#clearRead();
    if (reject !== null) reject(error);
  }

  #checkIdle(): void {
    if (this.#kind !== NONE) {
      throw new IOStreamBusyError("Already reading: an IOStream allows one pending read at a time");
    }
  }

  #pend<T>(kind: number): Promise<T> {
    if (this.#host.closed()) {
      this.#clearRead();
      return rejected(new StreamClosedError(this.#host.streamError() ?? undefined));
    }
    const promise = new Promise<T>((resolve, reject) => {
      this.#resolve = resolve as (value: never) => void;
      this.#reject = reject;
    });
    this.#promise = promise;
    this.#kind = kind;
    this.#host.resumeReading();
    return promise;
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
      this.#host.close(error as Error);
    }
  }

  /** Delivers buffered chunks while readChunks is active and not paused. */
  #deliverChunks(): void {
    if (this.#delivering) return; // the running loop goes on
    const buffer = this.buffer;
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

  /** Completes the pending read if the buffer allows; returns whether it completed. */
  #tryFinishRead(closing: boolean): boolean {
    switch (this.#kind) {
      case UNTIL:
      case REGEX: {
        const max = this.#maxBytes;
        const end = this.#kind === UNTIL ? this.#findDelimiter() : this.#findRegex();
        if (end >= 0 && (max < 0 || end <= max)) {
          this.#finish(this.buffer.take(end));
          return true;
        }
        if (!closing && (end >= 0 || (max >= 0 && this.buffer.size > max))) {
          this.#failUnsatisfiable(this.#kind === UNTIL ? this.#delimiter : (this.#regex as RegExp), max);
          return true;
        }
        return false;
      }
      case BYTES: {
        const buffer = this.buffer;
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
        const filled = (this.#targetFilled += this.buffer.takeInto(target, this.#targetFilled, target.length - this.#targetFilled));
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
    return rejected(new StreamClosedError(this.#host.streamError() ?? undefined));
  }

  #failUnsatisfiable(what: Buffer | RegExp, max: number): void {
    const error = unsatisfiableError(what, max);
    genLog.info(`Unsatisfiable read, closing connection: ${error.message}`);
    this.#host.close(error);
  }

  /**
   * The end of the first delimiter at or after #scanPos, or -1; remembers how far the search
   * got, so that the next chunk does not rescan what was searched.
   */
  #findDelimiter(): number {
    const end = this.buffer.findDelimiter(this.#delimiter, this.#scanPos);
    if (end === -1) this.#scanPos = Math.max(this.#scanPos, this.buffer.size - this.#delimiter.length + 1);
    return end;
  }

  #findRegex(): number {
    const match = (this.#regex as RegExp).exec(this.#regexText);
    return match === null ? -1 : match.index + match[0].length;
  }
}
