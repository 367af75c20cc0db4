/**
 * SocketWriter: the output side of an HTTP1Connection. While the connection parses a packet
 * (`gathering`), what is written is kept and leaves in one socket write at the end (flush):
 * a pipelined batch of responses costs one syscall. Otherwise a small response (head + body +
 * tail) is copied into one Buffer, a large one corked. Promises resolve when the bytes are
 * handed to the kernel or buffered under the high-water mark (else on 'drain').
 */

import type * as net from "node:net";
import { StreamClosedError } from "@tornado/ioloop";

/** A settled Promise shared by every write that did not need to wait. */
export const RESOLVED: Promise<void> = Promise.resolve();

/** Bodies up to this many bytes are copied next to their head (one write). */
const COALESCE_LIMIT = 16384;
/** Gathered output above this many bytes counts as backlogged (the parser pauses). */
const OUT_LIMIT = 1 << 20;

export class SocketWriter {
  readonly socket: net.Socket;
  /** Set while a packet is parsed: writes are gathered until flush(). */
  gathering = false;
  #out: Array<Buffer | string> | null = null;
  #outBytes = 0;
  #drain: Promise<void> | null = null;

  constructor(socket: net.Socket) {
    this.socket = socket;
  }

  /** Writes (or gathers) `data`; false when the caller should wait for a drain. */
  write(data: Buffer | string): boolean {
    if (this.gathering) {
      (this.#out ??= []).push(data);
      this.#outBytes += data.length;
      return this.#outBytes < OUT_LIMIT;
    }
    return typeof data === "string" ? this.socket.write(data, "latin1") : this.socket.write(data);
  }

  /** Sends what was gathered, in one write. */
  flush(): void {
    const out = this.#out;
    if (out === null || out.length === 0) return;
    const socket = this.socket;
    this.#out = null;
    this.#outBytes = 0;
    if (socket.destroyed) return;
    if (out.length === 1) {
      const data = out[0]!;
      if (typeof data === "string") socket.write(data, "latin1");
      else socket.write(data);
      return;
    }
    // Several pieces (a pipelined batch): copy them into one Buffer, one write.
    let total = 0;
    for (const data of out) total += data.length;
    const batch = Buffer.allocUnsafe(total);
    let offset = 0;
    for (const data of out) {
      offset += typeof data === "string" ? batch.write(data, offset, "latin1") : data.copy(batch, offset);
    }
    socket.write(batch);
  }

  /** The peer is not reading fast enough (or too much is gathered). */
  get backlogged(): boolean {
    return this.#outBytes >= OUT_LIMIT || this.socket.writableNeedDrain;
  }

  /** Writes head + body + tail, as one Buffer when small (one write, one syscall). */
  send(head: string, body?: Buffer, tail = ""): Promise<void> {
    const socket = this.socket;
    let flushed: boolean;
    if (body === undefined) {
      flushed = this.write(head + tail);
    } else if (this.gathering) {
      if (head.length > 0) this.write(head);
      this.write(body);
      flushed = tail.length > 0 ? this.write(tail) : this.#outBytes < OUT_LIMIT;
    } else if (body.length <= COALESCE_LIMIT) {
      const headLength = head.length;
      const buffer = Buffer.allocUnsafe(headLength + body.length + tail.length);
      buffer.write(head, 0, "latin1");
      body.copy(buffer, headLength);
      if (tail.length > 0) buffer.write(tail, headLength + body.length, "latin1");
      flushed = socket.write(buffer);
    } else {
      socket.cork();
      if (head.length > 0) socket.write(head, "latin1");
      socket.write(body);
      flushed = tail.length > 0 ? socket.write(tail, "latin1") : socket.writableLength < socket.writableHighWaterMark;
      process.nextTick(uncork, socket);
    }
    if (flushed) return RESOLVED;
    return this.#waitDrain();
  }

  #waitDrain(): Promise<void> {
    if (this.#drain === null) {
      const promise = new Promise<void>((resolve, reject) => {
        const onDrain = (): void => {
          this.socket.off("close", onClose);
          this.#drain = null;
          resolve();
        };
        const onClose = (): void => {
          this.socket.off("drain", onDrain);
          this.#drain = null;
          reject(new StreamClosedError());
        };
        this.socket.once("drain", onDrain);
        this.socket.once("close", onClose);
      });
      promise.catch(noop);
      this.#drain = promise;
    }
    return this.#drain;
  }
}

/** A Promise rejected with StreamClosedError, already marked handled (callers may ignore it). */
export function closedPromise(): Promise<void> {
  const promise = Promise.reject(new StreamClosedError());
  promise.catch(noop);
  return promise;
}

function uncork(socket: net.Socket): void {
  socket.uncork();
}

function noop(): void {}
