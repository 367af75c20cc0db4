/**
 * Property-based tests (fast-check) of the parsers: random inputs and random chunkings. They
 * never crash with anything but their typed errors, always terminate, and round trips hold.
 * fast-check prints the seed and the shrunk counterexample of a failure.
 */

import fc from "fast-check";
import {
  HTTPHeaders,
  HTTPInputError,
  HTTPTooManyArgumentsError,
  MultipartError,
  MultipartReader,
  parseCookie,
  parseMultipartFormData,
  parseQsBytes,
  quotePlus,
  type HTTPFile,
} from "@tornado/httputil";

const RUNS = { numRuns: 300 };

/** Splits `data` at the given cut points (random chunkings). */
function chunked(data: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (data.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of points) {
    chunks.push(data.subarray(start, point));
    start = point;
  }
  chunks.push(data.subarray(start));
  return chunks;
}

describe("query strings", () => {
  it("round-trip any names and values written with quotePlus", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ minLength: 1 }), fc.string()), { maxLength: 30 }), (pairs) => {
        const query = pairs.map(([name, value]) => `${quotePlus(name)}=${quotePlus(value)}`).join("&");
        const parsed = parseQsBytes(query).map(([name, value]) => [Buffer.from(name, "latin1").toString("utf8"), value.toString("utf8")]);
        expect(parsed).toEqual(pairs.map(([name, value]) => [Buffer.from(name, "utf8").toString("utf8"), Buffer.from(value, "utf8").toString("utf8")]));
      }),
      RUNS,
    );
  });

  it("parse any bytes, and refuse exactly the inputs with more than maxArguments segments", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 20 }), (bytes, max) => {
        const data = Buffer.from(bytes);
        const segments = data.length === 0 ? 0 : data.toString("latin1").split("&").length;
        let pairs: Array<[string, Buffer]> | null = null;
        try {
          pairs = parseQsBytes(data, { maxArguments: max });
        } catch (error) {
          expect(error).toBeInstanceOf(HTTPTooManyArgumentsError);
        }
        expect(pairs === null).toBe(segments > max);
        if (pairs !== null) expect(pairs.length).toBeLessThanOrEqual(segments);
      }),
      RUNS,
    );
  });
});

describe("cookies", () => {
  const name = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,12}$/);
  const value = fc.stringMatching(/^[A-Za-z0-9!#$%&'()*+\-./:<>?@[\]^_`{|}~]{0,12}$/);

  it("round-trip name=value pairs (the last duplicate wins)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 30 }), (pairs) => {
        // A null-prototype object, as parseCookie's: a cookie named __proto__ is a plain key.
        const expected: Record<string, string> = Object.create(null);
        for (const [key, val] of pairs) if (key || val) expected[key] = val;
        expect({ ...parseCookie(pairs.map(([key, val]) => `${key}=${val}`).join("; ")) }).toEqual({ ...expected });
      }),
      RUNS,
    );
  });

  it("parse any header without throwing", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (header) => {
        expect(typeof parseCookie(header)).toBe("object");
      }),
      RUNS,
    );
  });
});

describe("headers", () => {
  const name = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,20}$/);
  // Field characters without leading or trailing whitespace (which parsing strips).
  const value = fc.stringMatching(/^(?:[\x21-\x7e\x80-\xff](?:[\x20\x09\x21-\x7e\x80-\xff]{0,20}[\x21-\x7e\x80-\xff])?)?$/);

  it("round-trip through toString() and HTTPHeaders.parse", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 20 }), (pairs) => {
        const headers = new HTTPHeaders();
        for (const [key, val] of pairs) headers.add(key, val);
        expect([...HTTPHeaders.parse(headers.toString()).allItems()]).toEqual([...headers.allItems()]);
      }),
      RUNS,
    );
  });

  it("parse any text, or refuse it with HTTPInputError", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: "binary" }), (text) => {
        try {
          HTTPHeaders.parse(text);
        } catch (error) {
          expect(error).toBeInstanceOf(HTTPInputError);
        }
      }),
      RUNS,
    );
  });
});

describe("multipart", () => {
  const BOUNDARY = "xYz-42";
  const fieldName = fc.stringMatching(/^[A-Za-z0-9_.-]{1,10}$/);
  // Part bodies: any bytes; the writer picks a boundary they do not contain, as a client does.
  const part = fc.record({ name: fieldName, filename: fc.option(fieldName, { nil: null }), body: fc.uint8Array({ maxLength: 60 }) });

  function encode(parts: Array<{ name: string; filename: string | null; body: Uint8Array }>): Buffer {
    const pieces: Buffer[] = [];
    for (const item of parts) {
      const filename = item.filename === null ? "" : `; filename="${item.filename}"`;
      pieces.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${item.name}"${filename}\r\n\r\n`), Buffer.from(item.body), Buffer.from("\r\n"));
    }
    pieces.push(Buffer.from(`--${BOUNDARY}--\r\n`));
    return Buffer.concat(pieces);
  }

  it("round-trip parts through any chunking, streaming and buffered alike", () => {
    fc.assert(
      fc.property(fc.array(part, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 12 }), (parts, cuts) => {
        const data = encode(parts);
        fc.pre(data.indexOf(`\r\n--${BOUNDARY}`, 0) === data.indexOf(`\r\n--${BOUNDARY}`) && parts.every((p) => !Buffer.from(p.body).includes(`--${BOUNDARY}`)));
        const reader = new MultipartReader(BOUNDARY);
        const seen: Array<{ name: string; filename: string | null; body: Buffer }> = [];
        let chunks: Buffer[] = [];
        for (const chunk of chunked(data, cuts)) {
          reader.push(chunk);
          for (let event = reader.read(); event !== null; event = reader.read()) {
            if (event.type === "begin") {
              chunks = [];
              seen.push({ name: event.part.name, filename: event.part.filename, body: Buffer.alloc(0) });
            } else if (event.type === "data") {
              chunks.push(Buffer.from(event.chunk));
            } else {
              seen[seen.length - 1]!.body = Buffer.concat(chunks);
            }
          }
        }
        reader.end();
        expect(seen).toEqual(parts.map((p) => ({ name: p.name, filename: p.filename, body: Buffer.from(p.body) })));
        const args: Record<string, Buffer[]> = {};
        const files: Record<string, HTTPFile[]> = {};
        parseMultipartFormData(BOUNDARY, data, args, files);
        expect(Object.values(args).flat().length + Object.values(files).flat().length).toBe(parts.length);
      }),
      RUNS,
    );
  });

  it("end on any bytes in any chunking with a result or a MultipartError", () => {
    const noise = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
      fc.array(fc.constantFrom(`--${BOUNDARY}`, "\r\n", "--", "Content-Disposition: form-data; name=a", "\r\n\r\n", "x", " ", '"'), { maxLength: 40 }).map((pieces) => Buffer.from(pieces.join(""))),
    );
    fc.assert(
      fc.property(noise, fc.array(fc.nat(), { maxLength: 12 }), (data, cuts) => {
        const reader = new MultipartReader(BOUNDARY, { maxParts: 5, maxPartHeaderSize: 64 });
        try {
          for (const chunk of chunked(data, cuts)) {
            reader.push(chunk);
            let events = 0;
            for (let event = reader.read(); event !== null; event = reader.read()) expect(++events).toBeLessThan(1000);
          }
          reader.end();
        } catch (error) {
          expect(error).toBeInstanceOf(MultipartError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
