/**
 * OutputBatch: the output side of an HTTP1Connection, on its IOStream. While the connection
 * parses a packet (`gathering`), what is written is kept and leaves in one `stream.write` at the
 * end (flush): a pipelined batch of responses costs one syscall. Otherwise a small response
 * (head + body + tail) is copied into one Buffer (one write). A write's Promise is IOStream.write's
 * (settled when the bytes are handed to the kernel, or rejected with StreamClosedError); a
 * gathered write's is a settled one while less than 1 MiB is gathered, else the batch's.
 */

import { StreamClosedError, type IOStream } from "@tornado/ioloop";
import { RESOLVED } from "@tornado/util";

/** Bodies up to this many bytes are copied next to their head (one write). */
const COALESCE_LIMIT = 16384;
/** Gathered output above this many bytes counts as backlogged (the parser pauses). */
const OUT_LIMIT = 1 << 20;

const noop = (): void => {};

/** A Promise rejected with StreamClosedError, already marked handled (callers may ignore it). */
export function closedPromise(): Promise<void> {
  const promise = Promise.reject(new StreamClosedError());
  promise.catch(noop);
  return promise;
}

export class OutputBatch {
  readonly stream: IOStream;
  /** Set while a packet is parsed: writes are gathered until flush(). */
  gathering = false;
  #out: Array<Buffer | string> = [];
  #outBytes = 0;
  // For writes gathered beyond OUT_LIMIT: the Promise of the batch (made then) and its settlers.
  #batch: Promise<void> | null = null;
  #resolve: () => void = noop;
  #reject: (error: Error) => void = noop;
  // The last stream.write: it settles after every earlier one (the socket keeps order).
  #lastWrite: Promise<void> = RESOLVED;
  #drainWaiting = false;

  constructor(stream: IOStream) {
    this.stream = stream;
  }

  /** Writes (or gathers) `data`, a latin1 string or bytes. */
  write(data: Buffer | string): Promise<void> {
    if (this.gathering) return this.#gather(data);
    return this.#send(typeof data === "string" ? Buffer.from(data, "latin1") : data);
  }

  /** Writes head + body + tail (latin1 strings around bytes), as one Buffer when small. */
  send(head: string, body?: Buffer, tail = ""): Promise<void> {
    if (body === undefined) return this.write(head + tail);
    if (this.gathering) {
      if (head.length > 0) void this.#gather(head);
      const promise = this.#gather(body);
      return tail.length > 0 ? this.#gather(tail) : promise;
    }
    if (body.length <= COALESCE_LIMIT) {
      const headLength = head.length;
      const buffer = Buffer.allocUnsafe(headLength + body.length + tail.length);
      buffer.write(head, 0, "latin1");
      body.copy(buffer, headLength);
      if (tail.length > 0) buffer.write(tail, headLength + body.length, "latin1");
      return this.#send(buffer);
    }
    if (head.length > 0) void this.#send(Buffer.from(head, "latin1"));
    const promise = this.#send(body);
    return tail.length > 0 ? this.#send(Buffer.from(tail, "latin1")) : promise;
  }

  /** Sends what was gathered, in one stream.write. */
  flush(): void {
    const out = this.#out;
    if (out.length === 0) return;
    let data: Buffer;
    if (out.length === 1) {
      const piece = out[0]!;
      data = typeof piece === "string" ? Buffer.from(piece, "latin1") : piece;
    } else {
      // Several pieces (a pipelined batch): copied into one Buffer, one write.
      data = Buffer.allocUnsafe(this.#outBytes);
      let offset = 0;
      for (const piece of out) {
        offset += typeof piece === "string" ? data.write(piece, offset, "latin1") : piece.copy(data, offset);
      }
    }
    this.#out = [];
    this.#outBytes = 0;
    const written = this.#send(data);
    if (this.#batch !== null) {
      written.then(this.#resolve, this.#reject);
      this.#batch = null;
    }
  }

  /** Too much is gathered, or the stream still holds unsent data: stop producing more. */
  get backlogged(): boolean {
    return this.#outBytes >= OUT_LIMIT || this.stream.writing();
  }

  /**
   * Runs `callback` once the stream has handed everything written so far to the kernel (on a
   * later turn if it already has). One waits at a time; none runs if the stream closes first.
   */
  afterDrain(callback: () => void): void {
    if (this.#drainWaiting) return;
    this.#drainWaiting = true;
    const run = (): void => {
      this.#drainWaiting = false;
      callback();
    };
    if (this.stream.writing()) this.#lastWrite.then(run, noop);
    else setImmediate(run);
  }

  #send(data: Buffer): Promise<void> {
    const promise = this.stream.write(data);
    this.#lastWrite = promise;
    return promise;
  }

  #gather(data: Buffer | string): Promise<void> {
    this.#out.push(data);
    this.#outBytes += data.length;
    if (this.#outBytes < OUT_LIMIT) return RESOLVED;
    if (this.#batch === null) {
      this.#batch = new Promise<void>((resolve, reject) => {
        this.#resolve = resolve;
        this.#reject = reject;
      });
      // Like IOStream.write's: a failed write nobody awaits must not crash the process.
      this.#batch.catch(noop);
    }
    return this.#batch;
  }
}
