/**
 * Synchronous, streaming gzip for output transforms, on Node's public zlib API: each chunk is
 * raw-deflated with a sync flush (byte-aligned, no final block) and the previous 32 KiB as the
 * dictionary, so the pieces concatenate into one deflate stream with the ratio of a single
 * compressor; the gzip header goes first and the CRC-32/size trailer last (RFC 1952).
 * Tornado: the GzipFile with flush() inside GZipContentEncoding.
 */

import { constants, crc32, deflateRawSync } from "node:zlib";
import { ResponseStateError } from "../errors";

const HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03]);
const WINDOW = 32 * 1024;

export class GzipStream {
  readonly #level: number;
  #started = false;
  #finished = false;
  #crc = 0;
  #size = 0;
  #window: Buffer = Buffer.alloc(0);

  /** @param level zlib level 0-9; Tornado's GZIP_LEVEL is 6. */
  constructor(level = 6) {
    this.#level = level;
  }

  /** Compresses `chunk`; with `finishing` the output ends the gzip member. */
  write(chunk: Buffer, finishing: boolean): Buffer {
    if (this.#finished) throw new ResponseStateError("gzip stream already finished");
    const parts: Buffer[] = [];
    if (!this.#started) {
      parts.push(HEADER);
      this.#started = true;
    }
    parts.push(
      deflateRawSync(chunk, {
        level: this.#level,
        finishFlush: finishing ? constants.Z_FINISH : constants.Z_SYNC_FLUSH,
        ...(this.#window.length > 0 ? { dictionary: this.#window } : {}),
      }),
    );
    // (Node's crc32 of an empty buffer returns 0 rather than the running value.)
    if (chunk.length > 0) this.#crc = crc32(chunk, this.#crc);
    this.#size = (this.#size + chunk.length) % 0x100000000;
    if (finishing) {
      const trailer = Buffer.allocUnsafe(8);
      trailer.writeUInt32LE(this.#crc >>> 0, 0);
      trailer.writeUInt32LE(this.#size, 4);
      parts.push(trailer);
      this.#finished = true;
    } else if (chunk.length >= WINDOW) {
      this.#window = chunk.subarray(chunk.length - WINDOW);
    } else if (chunk.length > 0) {
      const joined = Buffer.concat([this.#window, chunk]);
      this.#window = joined.length > WINDOW ? joined.subarray(joined.length - WINDOW) : joined;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }
}
