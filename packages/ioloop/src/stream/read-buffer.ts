/**
 * ReadBuffer: the bytes an IOStream received and has not yet handed out, as a list of the
 * chunks the socket delivered (never concatenated on arrival), with the searches the reads
 * need. Internal to IOStream. Tornado keeps a bytearray (and _StreamBuffer for writes).
 */

const EMPTY = Buffer.alloc(0);

/** Longest delimiter searched by its first byte (memchr) rather than Buffer.indexOf(Buffer). */
const SHORT_DELIMITER = 4;

/**
 * The index of the first occurrence of `delimiter` lying wholly inside `chunk` at or after
 * `from`, or -1. Short delimiters ("\r\n", "\r\n\r\n") are found with indexOf(byte), a
 * memchr about twice as fast as indexOf(Buffer), then checked byte by byte.
 */
export function indexInChunk(chunk: Buffer, delimiter: Buffer, from: number): number {
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

export class ReadBuffer {
  /** Bytes received and not yet taken. */
  size = 0;
  // The live chunks are #chunks[#head..]; #offset bytes of the first one are already taken.
  #chunks: Buffer[] = [];
  #head = 0;
  #offset = 0;

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.size += chunk.length;
  }

  /**
   * The length of the data up to and including the first `delimiter`, if that lies in the
   * first chunk (the hot path of readUntil), else -1 (which does not mean there is none).
   */
  firstChunkMatch(delimiter: Buffer): number {
    if (this.size === 0) return -1;
    const chunk = this.#chunks[this.#head] as Buffer;
    const index = indexInChunk(chunk, delimiter, this.#offset);
    return index === -1 ? -1 : index + delimiter.length - this.#offset;
  }

  /**
   * Takes the data up to and including the first `delimiter` if that lies in the first chunk
   * and is at most `maxBytes` long (-1: no limit), as a view; else null, taking nothing (which
   * does not mean there is no match). The hot path of readUntil, in one call.
   */
  takeFromFirstChunk(delimiter: Buffer, maxBytes: number): Buffer | null {
    if (this.size === 0) return null;
    const chunk = this.#chunks[this.#head] as Buffer;
    const from = this.#offset;
    const index = indexInChunk(chunk, delimiter, from);
    if (index === -1) return null;
    const end = index + delimiter.length;
    if (maxBytes >= 0 && end - from > maxBytes) return null;
    this.size -= end - from;
    if (end < chunk.length) {
      this.#offset = end;
    } else {
      this.#advance(chunk, end - from);
    }
    return chunk.subarray(from, end);
  }

  /**
   * The end (exclusive, counted from the first byte not taken) of the first `delimiter` that
   * starts at or after `start`, matches spanning chunks included, or -1. A caller that keeps
   * searching as data arrives can pass `max(start, size - delimiter.length + 1)` next time.
   */
  findDelimiter(delimiter: Buffer, start: number): number {
    const length = delimiter.length;
    const chunks = this.#chunks;
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
    return -1;
  }

  /** What the first chunk still holds, up to `numBytes` (a partial read without a copy). */
  firstChunkLength(numBytes: number): number {
    if (this.size === 0) return 0;
    const first = this.#chunks[this.#head] as Buffer;
    return Math.min(numBytes, first.length - this.#offset);
  }

  /** Removes `n` (<= size) bytes from the front and returns them: a view when in one chunk. */
  take(n: number): Buffer {
    if (n === 0) return EMPTY;
    const first = this.#chunks[this.#head] as Buffer;
    const offset = this.#offset;
    let out: Buffer;
    if (n <= first.length - offset) {
      out = offset === 0 && n === first.length ? first : first.subarray(offset, offset + n);
      this.#advance(first, n);
    } else {
      out = Buffer.allocUnsafe(n);
      this.#copyOut(out, 0, n);
    }
    this.size -= n;
    return out;
  }

  /** Moves up to `max` bytes into `target` at `at`; returns how many. */
  takeInto(target: Buffer, at: number, max: number): number {
    const n = Math.min(max, this.size);
    if (n === 0) return 0;
    this.#copyOut(target, at, n);
    this.size -= n;
    return n;
  }

  /** Everything not taken, as latin1 text (one character per byte), for regex reads. */
  latin1(): string {
    let text = "";
    const chunks = this.#chunks;
    for (let i = this.#head; i < chunks.length; i++) {
      text += (chunks[i] as Buffer).toString("latin1", i === this.#head ? this.#offset : 0);
    }
    return text;
  }

  #copyOut(target: Buffer, at: number, n: number): void {
    let copied = 0;
    while (copied < n) {
      const chunk = this.#chunks[this.#head] as Buffer;
      const count = Math.min(chunk.length - this.#offset, n - copied);
      chunk.copy(target, at + copied, this.#offset, this.#offset + count);
      copied += count;
      this.#advance(chunk, count);
    }
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
}
