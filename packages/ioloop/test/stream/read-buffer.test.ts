// ReadBuffer fed directly: delimiter searches over every way of cutting the data into chunks,
// compared with a plain indexOf on the joined bytes.
import { indexInChunk, ReadBuffer } from "../../src/stream/read-buffer";

function bufferOf(chunks: string[]): ReadBuffer {
  const buffer = new ReadBuffer();
  for (const chunk of chunks) buffer.push(Buffer.from(chunk, "latin1"));
  return buffer;
}

/** Every way to cut `text` into non-empty pieces (2^(n-1) of them). */
function* cuttings(text: string): Generator<string[]> {
  const n = text.length;
  for (let mask = 0; mask < 1 << (n - 1); mask++) {
    const pieces: string[] = [];
    let start = 0;
    for (let i = 1; i < n; i++) {
      if (mask & (1 << (i - 1))) {
        pieces.push(text.slice(start, i));
        start = i;
      }
    }
    pieces.push(text.slice(start));
    yield pieces;
  }
}

describe("indexInChunk", () => {
  it.each([
    ["ab\r\ncd", "\r\n", 0, 2],
    ["\r\r\n", "\r\n", 0, 1],
    ["a\r", "\r\n", 0, -1],
    ["x\r\n\r\ny", "\r\n\r\n", 0, 1],
    ["abcdefabcdef", "cdefa", 0, 2],
    ["abcdef", "def", 4, -1],
  ])("finds %j in %j from %d", (text, delimiter, from, expected) => {
    expect(indexInChunk(Buffer.from(text, "latin1"), Buffer.from(delimiter, "latin1"), from)).toBe(expected);
  });
});

describe("ReadBuffer.findDelimiter", () => {
  const texts = ["ab\r\ncd\r\n", "\r\r\n\r\n", "xx\r\n\r\nyy", "no delimiter", "aaab", "\r\n", "abcabcabd"];
  const delimiters = ["\r\n", "\r\n\r\n", "\n", "abd", "aab", "abcabd"];
  for (const text of texts) {
    for (const delimiter of delimiters) {
      it(`${JSON.stringify(delimiter)} in ${JSON.stringify(text)}, every chunking`, () => {
        const joined = Buffer.from(text, "latin1");
        const d = Buffer.from(delimiter, "latin1");
        const index = joined.indexOf(d);
        const expected = index === -1 ? -1 : index + d.length;
        for (const pieces of cuttings(text)) {
          const buffer = bufferOf(pieces);
          expect([pieces, buffer.findDelimiter(d, 0)]).toEqual([pieces, expected]);
          // Resuming from where a search over a prefix stopped gives the same answer.
          const prefix = bufferOf(pieces.slice(0, 1));
          const first = prefix.findDelimiter(d, 0);
          if (first === -1) {
            const resume = Math.max(0, prefix.size - d.length + 1);
            expect(buffer.findDelimiter(d, resume)).toBe(expected);
          }
        }
      });
    }
  }

  it("searches after consumed bytes", () => {
    const buffer = bufferOf(["line1\r", "\nline2\r\n"]);
    expect(buffer.take(buffer.findDelimiter(Buffer.from("\r\n"), 0)).toString()).toBe("line1\r\n");
    expect(buffer.firstChunkMatch(Buffer.from("\r\n"))).toBe(7);
    expect(buffer.takeFromFirstChunk(Buffer.from("\r\n"), 6)).toBeNull(); // longer than 6
    expect(buffer.takeFromFirstChunk(Buffer.from("\r\n"), -1)?.toString()).toBe("line2\r\n");
    expect(buffer.size).toBe(0);
    expect(buffer.firstChunkMatch(Buffer.from("\r\n"))).toBe(-1);
  });
});

describe("ReadBuffer.take and takeInto", () => {
  it("returns views inside a chunk and copies across chunks", () => {
    const first = Buffer.from("hello ");
    const buffer = new ReadBuffer();
    buffer.push(first);
    buffer.push(Buffer.from("world"));
    const hello = buffer.take(5);
    expect(hello.toString()).toBe("hello");
    expect(hello.buffer).toBe(first.buffer);
    expect(buffer.take(3).toString()).toBe(" wo");
    expect(buffer.size).toBe(3);
    expect(buffer.firstChunkLength(100)).toBe(3);
    expect(buffer.latin1()).toBe("rld");
    const target = Buffer.alloc(5, ".");
    expect(buffer.takeInto(target, 1, 10)).toBe(3);
    expect(target.toString()).toBe(".rld.");
    expect(buffer.take(0).length).toBe(0);
  });

  it("keeps every byte in order over many chunks", () => {
    const buffer = new ReadBuffer();
    const all: number[] = [];
    let next = 0;
    const out: number[] = [];
    for (let round = 0; round < 500; round++) {
      const chunk = Buffer.alloc(1 + (round % 37));
      for (let i = 0; i < chunk.length; i++) chunk[i] = next++ & 0xff;
      all.push(...chunk);
      buffer.push(chunk);
      const n = Math.min(buffer.size, (round * 7) % 50);
      out.push(...buffer.take(n));
    }
    out.push(...buffer.take(buffer.size));
    expect(out).toEqual(all);
  });
});
