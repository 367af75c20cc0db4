/**
 * StreamBodyReader: the request body of one HTTP/2 stream, handed to an HTTPMessageDelegate
 * in slices of at most chunkSize bytes, counted against maxBodySize. A Promise returned by
 * `dataReceived` pauses the stream until it settles: node then stops consuming the stream's
 * DATA, so its receive window closes and the client stops sending (the body buffered per busy
 * stream is bounded by the window). The counterpart of HTTP1Parser's body states.
 */

import type * as http2 from "node:http2";
import { isThenable } from "@tornado/util";
import type { HTTPMessageDelegate } from "../interfaces";

/** What the reader reports to its stream connection. */
export interface StreamBodyEvents {
  /** More than maxBodySize bytes arrived (nothing more is delivered). */
  bodyTooLarge(): void;
  /** dataReceived threw, or its Promise rejected (nothing more is delivered). */
  bodyFailed(error: unknown): void;
  /** The whole body was delivered (END_STREAM, not a reset). */
  bodyEnded(): void;
}

export class StreamBodyReader {
  /** Bytes allowed; may be raised while reading (setMaxBodySize). */
  maxBodySize: number;
  readonly #stream: http2.ServerHttp2Stream;
  readonly #delegate: HTTPMessageDelegate;
  readonly #chunkSize: number;
  readonly #events: StreamBodyEvents;
  #received = 0;
  #delivering = false; // a slice's Promise is pending (the stream is paused)
  #ended = false; // 'end' came while delivering
  #stopped = false;

  constructor(
    stream: http2.ServerHttp2Stream,
    delegate: HTTPMessageDelegate,
    options: { chunkSize: number; maxBodySize: number },
    events: StreamBodyEvents,
  ) {
    this.#stream = stream;
    this.#delegate = delegate;
    this.#chunkSize = options.chunkSize;
    this.maxBodySize = options.maxBodySize;
    this.#events = events;
    stream.on("data", this.#onData);
    stream.on("end", this.#onEnd);
  }

  /** Delivers nothing more (the request was answered, refused or closed); DATA is dropped. */
  stop(): void {
    this.#stopped = true;
  }

  readonly #onData = (chunk: Buffer): void => {
    if (this.#stopped) return;
    this.#received += chunk.length;
    if (this.#received > this.maxBodySize) {
      this.#stopped = true;
      this.#events.bodyTooLarge();
      return;
    }
    if (this.#deliver(chunk, 0)) {
      this.#delivering = true;
      this.#stream.pause();
    }
  };

  // Hands `chunk` from `offset` to the delegate in chunkSize slices; true when a slice's
  // Promise paused the delivery (which then goes on, or ends, when it settles).
  #deliver(chunk: Buffer, offset: number): boolean {
    const size = this.#chunkSize;
    while (offset < chunk.length) {
      const piece = offset === 0 && chunk.length <= size ? chunk : chunk.subarray(offset, offset + size);
      offset += piece.length;
      let result: void | Promise<void>;
      try {
        result = this.#delegate.dataReceived(piece);
      } catch (error) {
        this.#fail(error);
        return false;
      }
      if (isThenable(result)) {
        result.then(
          () => {
            if (this.#stopped) return;
            if (offset < chunk.length && this.#deliver(chunk, offset)) return;
            this.#delivering = false;
            // A paused stream still emits 'end' once its last chunk has been handed out.
            if (this.#ended) this.#end();
            else this.#stream.resume();
          },
          (error: unknown) => this.#fail(error),
        );
        return true;
      }
      if (this.#stopped) return false;
    }
    return false;
  }

  readonly #onEnd = (): void => {
    // A reset by the client ends the readable side too: not a complete body ('close' follows).
    if (this.#stopped || this.#stream.aborted) return;
    if (this.#delivering) this.#ended = true;
    else this.#end();
  };

  #end(): void {
    this.#stopped = true;
    this.#events.bodyEnded();
  }

  #fail(error: unknown): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#events.bodyFailed(error);
  }
}
