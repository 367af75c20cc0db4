import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MultipartError, MultipartParser, type MultipartPart } from "@tornado/httputil";

const BOUNDARY = "1234";

function body(parts: string[]): Buffer {
  return Buffer.from(parts.map((part) => `--${BOUNDARY}\r\n${part}\r\n`).join("") + `--${BOUNDARY}--\r\n`);
}

const FIELD = 'Content-Disposition: form-data; name="field"\r\n\r\nvalue';
const FILE = 'Content-Disposition: form-data; name="files"; filename="ab.txt"\r\n\r\nFoo';

/** Feeds the body in chunks of `size` bytes. */
async function feed(parser: MultipartParser, data: Buffer, size: number): Promise<void> {
  for (let i = 0; i < data.length; i += size) await parser.write(data.subarray(i, i + size));
  await parser.end();
}

describe("MultipartParser", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "web-multipart-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([1, 2, 3, 7, 64, 100000])("collects fields and spills files with %i-byte chunks", async (size) => {
    const parser = new MultipartParser(`multipart/form-data; boundary=${BOUNDARY}`, { uploadDir: dir });
    await feed(parser, body([FIELD, FILE]), size);
    expect(parser.fields).toEqual({ field: ["value"] });
    const [file] = parser.files.files;
    expect(file).toMatchObject({ name: "files", filename: "ab.txt", contentType: "application/unknown", size: 3 });
    expect(file.path.startsWith(dir)).toBe(true);
    expect(readFileSync(file.path, "utf8")).toBe("Foo");
    await parser.cleanup();
    expect(existsSync(file.path)).toBe(false);
  });

  it("takes a bare boundary, a quoted boundary, and RFC 2231 filenames", async () => {
    const quoted = new MultipartParser(`multipart/form-data; boundary="${BOUNDARY}"`, { uploadDir: dir });
    await feed(
      quoted,
      body([`Content-Disposition: form-data; name="f"; filename="x.txt"; filename*=UTF-8''%C3%A9.txt\r\nContent-Type: text/plain\r\n\r\nhi`]),
      5,
    );
    expect(quoted.files.f[0]).toMatchObject({ filename: "é.txt", contentType: "text/plain" });
    await quoted.cleanup();
    const bare = new MultipartParser(BOUNDARY);
    await feed(bare, body([FIELD]), 4);
    expect(bare.fields.field).toEqual(["value"]);
  });

  it("keeps bytes that look like a partial delimiter", async () => {
    const tricky = 'Content-Disposition: form-data; name="t"\r\n\r\na\r\n--12x\r\n-';
    const parser = new MultipartParser(BOUNDARY);
    await feed(parser, body([tricky]), 1);
    expect(parser.fields.t).toEqual(["a\r\n--12x\r\n-"]);
  });

  it("streams parts to callbacks without collecting them", async () => {
    const events: string[] = [];
    const parser = new MultipartParser(BOUNDARY, {
      onPartBegin: (part: MultipartPart) => void events.push(`begin ${part.name} ${part.filename}`),
      onPartData: async (_part, chunk) => {
        events.push(`data ${chunk.toString()}`);
      },
      onPartEnd: (part) => void events.push(`end ${part.name} ${part.size}`),
    });
    await feed(parser, body([FIELD, FILE]), 1000);
    expect(events).toEqual(["begin field null", "data value", "end field 5", "begin files ab.txt", "data Foo", "end files 3"]);
    expect(parser.fields).toEqual({});
    expect(parser.files).toEqual({});
  });

  it("ignores the preamble and the epilogue", async () => {
    const parser = new MultipartParser(BOUNDARY);
    await feed(parser, Buffer.concat([Buffer.from("preamble\r\n"), body([FIELD]), Buffer.from("epilogue")]), 3);
    expect(parser.fields.field).toEqual(["value"]);
  });

  it.each([
    ["a missing final boundary", Buffer.from(`--${BOUNDARY}\r\n${FIELD}\r\n`), 400],
    ["a part without Content-Disposition", body(["Content-Type: text/plain\r\n\r\nx"]), 400],
    ["a part without a name", body(['Content-Disposition: form-data; filename="a"\r\n\r\nx']), 400],
    ["a non form-data disposition", body(['Content-Disposition: attachment; name="a"\r\n\r\nx']), 400],
  ])("rejects %s with %i", async (_name, data, status) => {
    const parser = new MultipartParser(BOUNDARY, { uploadDir: dir });
    const error = await feed(parser, data, 8).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MultipartError);
    expect((error as MultipartError).statusCode).toBe(status);
    await parser.cleanup();
  });

  it("enforces maxParts, maxPartHeaderSize, maxFieldSize and maxFileSize with 413", async () => {
    const cases: [ConstructorParameters<typeof MultipartParser>[1], Buffer][] = [
      [{ maxParts: 1 }, body([FIELD, FIELD])],
      [{ maxPartHeaderSize: 10 }, body([FIELD])],
      [{ maxFieldSize: 2 }, body([FIELD])],
      [{ maxFileSize: 2, uploadDir: dir }, body([FILE])],
    ];
    for (const [options, data] of cases) {
      const parser = new MultipartParser(BOUNDARY, options);
      const error = await feed(parser, data, 4).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MultipartError);
      expect((error as MultipartError).statusCode).toBe(413);
      await parser.cleanup();
    }
  });

  it("refuses a non-multipart Content-Type", () => {
    expect(() => MultipartParser.fromRequest({ headers: { get: () => "text/plain" } } as never)).toThrow(MultipartError);
    expect(() => new MultipartParser("multipart/form-data; charset=utf-8")).toThrow(/no boundary/);
  });
});
