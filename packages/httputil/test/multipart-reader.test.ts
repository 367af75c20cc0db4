/**
 * MultipartReader, the one multipart state machine: Tornado's parse_multipart_form_data cases
 * fed in every chunking, the framing edge cases, and the limits (stopping early).
 */

import { MultipartError, MultipartReader, multipartBoundary, type MultipartEvent } from "@tornado/httputil";

interface Part {
  name: string;
  filename: string | null;
  contentType: string;
  body: string;
}

/** Feeds `data` in chunks of `size` bytes and collects the parts. */
function readAll(data: Buffer, size: number, boundary = "1234", limits = {}): Part[] {
  const reader = new MultipartReader(boundary, limits);
  const parts: Part[] = [];
  let current: Part | null = null;
  const drain = () => {
    for (let event: MultipartEvent | null = reader.read(); event !== null; event = reader.read()) {
      if (event.type === "begin") current = { name: event.part.name, filename: event.part.filename, contentType: event.part.contentType, body: "" };
      else if (event.type === "data") current!.body += event.chunk.toString("latin1");
      else parts.push(current!);
    }
  };
  for (let i = 0; i < data.length; i += size) {
    reader.push(data.subarray(i, i + size));
    drain();
  }
  reader.end();
  return parts;
}

const CHUNKINGS = [1, 2, 3, 5, 8, 13, 64, 1 << 20];
const body = (text: string) => Buffer.from(text, "latin1");

describe("MultipartReader", () => {
  it.each(CHUNKINGS)("reads fields and files in %i-byte chunks", (size) => {
    const data = body(
      '--1234\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue\r\n' +
        '--1234\r\nContent-Disposition: form-data; name="f"; filename="x.txt"\r\nContent-Type: text/csv\r\n\r\n1,2\r\n--12x\r\n' +
        "--1234--\r\n",
    );
    expect(readAll(data, size)).toEqual([
      { name: "a", filename: null, contentType: "text/plain", body: "value" },
      { name: "f", filename: "x.txt", contentType: "text/csv", body: "1,2\r\n--12x" },
    ]);
  });

  it.each(CHUNKINGS)("keeps `\\r\\n--boundary` followed by other bytes as content (%i-byte chunks)", (size) => {
    const data = body('--1234\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--1234abc\r\n--1234 \t\r\ny\r\n--1234--');
    // "--1234 \t\r\n" is a delimiter with transport padding: it starts a part with no header block.
    expect(() => readAll(data, size)).toThrow(/missing headers/);
    const ok = body('--1234\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--1234abc\r\n--1234  \r\nContent-Disposition: form-data; name="b"\r\n\r\ny\r\n--1234--');
    expect(readAll(ok, size).map((part) => [part.name, part.body])).toEqual([
      ["a", "x\r\n--1234abc"],
      ["b", "y"],
    ]);
  });

  it.each(CHUNKINGS)("takes a leading part without a delimiter (Tornado), ignores a plain preamble (%i-byte chunks)", (size) => {
    const leading = body('Content-Disposition: form-data; name="a"\r\n\r\n1\r\n--1234\r\nContent-Disposition: form-data; name="b"\r\n\r\n2\r\n--1234--\r\n');
    expect(readAll(leading, size).map((part) => part.name)).toEqual(["a", "b"]);
    const preamble = body('This is a preamble.\r\n--1234\r\nContent-Disposition: form-data; name="b"\r\n\r\n2\r\n--1234--\r\nepilogue');
    expect(readAll(preamble, size).map((part) => part.name)).toEqual(["b"]);
  });

  it("treats an empty filename as a field and needs a non-empty name (Tornado)", () => {
    const data = body('--1234\r\nContent-Disposition: form-data; name="f"; filename=""\r\n\r\n\r\n--1234--');
    expect(readAll(data, 100)).toEqual([{ name: "f", filename: null, contentType: "text/plain", body: "" }]);
    expect(() => readAll(body('--1234\r\nContent-Disposition: form-data; name=""\r\n\r\nx\r\n--1234--'), 100)).toThrow(/missing name/);
  });

  it("compares the disposition type case-insensitively (RFC 6266)", () => {
    expect(readAll(body('--1234\r\nContent-Disposition: Form-Data; name="a"\r\n\r\nx\r\n--1234--'), 7)[0]!.name).toBe("a");
  });

  it("stops at the first part over maxParts, before reading the rest", () => {
    const reader = new MultipartReader("B", { maxParts: 100 });
    reader.push(body('--B\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n'.repeat(100_000) + "--B--"));
    let events = 0;
    const error = (() => {
      try {
        while (reader.read() !== null) events++;
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(MultipartError);
    expect((error as MultipartError).statusCode).toBe(413);
    expect(events).toBe(300);
  });

  it("bounds a header block that never ends, and a delimiter line of padding", () => {
    const reader = new MultipartReader("B", { maxPartHeaderSize: 64 });
    reader.push(body("--B\r\nX: " + "y".repeat(100)));
    expect(() => reader.read()).toThrow(/header too large/);
    const padded = new MultipartReader("B");
    padded.push(body("--B\r\n" + 'Content-Disposition: form-data; name="a"\r\n\r\n' + "x\r\n--B" + " ".repeat(1000)));
    const events: string[] = [];
    for (let event = padded.read(); event !== null; event = padded.read()) events.push(event.type);
    expect(events).toEqual(["begin", "data"]);
    expect(() => padded.end()).toThrow(/no final boundary/);
  });

  it("checks the boundary and the Content-Type", () => {
    expect(() => new MultipartReader("")).toThrow(MultipartError);
    expect(() => new MultipartReader("x".repeat(71))).toThrow(/1 to 70 characters/);
    expect(new MultipartReader('"ab"').boundary).toBe("ab");
    expect(multipartBoundary('Multipart/Form-Data; boundary="a;b"')).toBe("a;b");
    expect(() => multipartBoundary("text/plain; boundary=x")).toThrow(/Invalid content type/);
    expect(() => multipartBoundary("multipart/form-data")).toThrow(/boundary not found/);
  });
});
