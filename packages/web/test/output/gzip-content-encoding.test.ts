import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { spawnSync } from "node:child_process";
import { HTTPHeaders } from "@tornado/httputil";
import { HTTPServerRequest } from "@tornado/httpserver";
import { GZipContentEncoding } from "../../src/output/gzip-content-encoding";
import { CompressContentEncoding } from "../../src/output/compress-content-encoding";
import { negotiateContentEncoding, parseAcceptEncoding } from "../../src/output/accept-encoding";
import { GzipStream } from "../../src/output/gzip-stream";

const request = (acceptEncoding?: string) =>
  new HTTPServerRequest({
    method: "GET",
    uri: "/",
    headers: new HTTPHeaders(acceptEncoding === undefined ? {} : { "Accept-Encoding": acceptEncoding }),
  });
const BODY = Buffer.from("hello world" + "!".repeat(1024));
const htmlHeaders = (extra: Record<string, string> = {}) =>
  new HTTPHeaders({ "Content-Type": "text/html; charset=UTF-8", "Content-Length": String(BODY.length), ...extra });
const varyList = (headers: HTTPHeaders) => headers.get("Vary")!.split(",").map((s) => s.trim());

describe("GzipTestCase (web_test.py), at the transform", () => {
  it("compresses and sets Vary: Accept-Encoding", () => {
    const transform = new GZipContentEncoding(request("gzip"));
    const [status, headers, chunk] = transform.transformFirstChunk(200, htmlHeaders(), BODY, true);
    expect(status).toBe(200);
    expect(headers.get("Content-Encoding")).toBe("gzip");
    expect(headers.get("Vary")).toBe("Accept-Encoding");
    expect(headers.get("Content-Length")).toBe(String(chunk.length));
    expect(gunzipSync(chunk)).toEqual(BODY);
  });

  it("without Accept-Encoding: identity, but Vary is still set", () => {
    const transform = new GZipContentEncoding(request());
    const [, headers, chunk] = transform.transformFirstChunk(200, htmlHeaders(), BODY, true);
    expect(headers.has("Content-Encoding")).toBe(false);
    expect(headers.get("Vary")).toBe("Accept-Encoding");
    expect(chunk).toBe(BODY);
  });

  it("appends to an existing Vary (issue #1670)", () => {
    const transform = new GZipContentEncoding(request("gzip"));
    const headers = htmlHeaders();
    headers.add("Vary", "Accept-Language");
    expect(varyList(transform.transformFirstChunk(200, headers, BODY, true)[1])).toEqual([
      "Accept-Language",
      "Accept-Encoding",
    ]);
    const two = htmlHeaders();
    two.add("Vary", "Accept-Language");
    two.add("Vary", "Cookie");
    expect(varyList(new GZipContentEncoding(request("gzip")).transformFirstChunk(200, two, BODY, true)[1])).toEqual([
      "Accept-Language",
      "Cookie",
      "Accept-Encoding",
    ]);
  });

  it("leaves short whole responses, other types and encoded bodies alone", () => {
    const short = Buffer.from("tiny");
    expect(new GZipContentEncoding(request("gzip")).transformFirstChunk(200, htmlHeaders(), short, true)[2]).toBe(short);
    const png = new HTTPHeaders({ "Content-Type": "image/png" });
    expect(new GZipContentEncoding(request("gzip")).transformFirstChunk(200, png, BODY, true)[1].has("Content-Encoding")).toBe(false);
    const encoded = htmlHeaders({ "Content-Encoding": "br" });
    const [, headers, chunk] = new GZipContentEncoding(request("gzip")).transformFirstChunk(200, encoded, BODY, true);
    expect(headers.get("Content-Encoding")).toBe("br");
    expect(chunk).toBe(BODY);
    for (const type of ["application/json", "image/svg+xml", "text/plain", "application/javascript; charset=utf-8"]) {
      expect(GZipContentEncoding.compressibleType(type)).toBe(true);
    }
  });

  it("streams a flushed response: short first chunk compressed, Content-Length dropped", () => {
    const transform = new GZipContentEncoding(request("gzip, deflate"));
    const first = Buffer.from("<html>");
    const [, headers, out1] = transform.transformFirstChunk(200, htmlHeaders(), first, false);
    expect(headers.has("Content-Length")).toBe(false);
    expect(headers.get("Content-Encoding")).toBe("gzip");
    const pieces = [out1];
    const written = [first];
    for (let i = 0; i < 20; i++) {
      const part = Buffer.from(`<p>paragraph ${i} ${"lorem ipsum ".repeat(i * 50)}</p>`);
      written.push(part);
      const out = transform.transformChunk(part, false);
      pieces.push(out);
      // Every flushed piece is decodable so far (sync flush): a browser can render it.
      const sofar = gunzipSync(Buffer.concat(pieces), { finishFlush: 2 /* Z_SYNC_FLUSH */ });
      expect(sofar.equals(Buffer.concat(written))).toBe(true);
    }
    pieces.push(transform.transformChunk(Buffer.from("</html>"), true));
    written.push(Buffer.from("</html>"));
    expect(gunzipSync(Buffer.concat(pieces)).equals(Buffer.concat(written))).toBe(true);
  });
});

describe("GzipStream", () => {
  it("keeps the ratio of one compressor across flushes (32 KiB window as dictionary)", () => {
    const text = Buffer.from("The quick brown fox jumps over the lazy dog. ".repeat(4000));
    const stream = new GzipStream(6);
    const pieces: Buffer[] = [];
    for (let i = 0; i < text.length; i += 1000) {
      pieces.push(stream.write(text.subarray(i, i + 1000), i + 1000 >= text.length));
    }
    const joined = Buffer.concat(pieces);
    expect(gunzipSync(joined).equals(text)).toBe(true);
    expect(joined.length).toBeLessThan(text.length / 20);
  });

  it("an empty last chunk after data keeps the CRC (Node's crc32 of nothing is 0)", () => {
    const stream = new GzipStream();
    const out = Buffer.concat([stream.write(Buffer.from("User-agent: *\n"), false), stream.write(Buffer.alloc(0), true)]);
    expect(gunzipSync(out).toString()).toBe("User-agent: *\n");
  });

  it("an empty whole body is a valid gzip member", () => {
    expect(gunzipSync(new GzipStream().write(Buffer.alloc(0), true))).toEqual(Buffer.alloc(0));
  });

  const hasGzip = spawnSync("gzip", ["--version"], { stdio: "ignore" }).status === 0;
  (hasGzip ? it : it.skip)("the system gzip tool reads the streamed output (skipped without gzip)", () => {
    const stream = new GzipStream();
    const out = Buffer.concat([stream.write(Buffer.from("abc".repeat(100)), false), stream.write(Buffer.from("xyz"), true)]);
    const result = spawnSync("gzip", ["-dc"], { input: out });
    expect(result.status).toBe(0);
    expect(result.stdout.toString()).toBe("abc".repeat(100) + "xyz");
  });
});

describe("CompressContentEncoding (brotli or gzip)", () => {
  it("prefers brotli for whole responses when accepted", () => {
    const transform = new CompressContentEncoding(request("gzip, deflate, br"));
    const [, headers, chunk] = transform.transformFirstChunk(200, htmlHeaders(), BODY, true);
    expect(headers.get("Content-Encoding")).toBe("br");
    expect(transform.encoding).toBe("br");
    expect(headers.get("Content-Length")).toBe(String(chunk.length));
    expect(brotliDecompressSync(chunk)).toEqual(BODY);
  });

  it("follows q-values", () => {
    const transform = new CompressContentEncoding(request("br;q=0.5, gzip;q=0.8"));
    const [, headers, chunk] = transform.transformFirstChunk(200, htmlHeaders(), BODY, true);
    expect(headers.get("Content-Encoding")).toBe("gzip");
    expect(gunzipSync(chunk)).toEqual(BODY);
    const none = new CompressContentEncoding(request("br;q=0, gzip;q=0"));
    expect(none.transformFirstChunk(200, htmlHeaders(), BODY, true)[1].has("Content-Encoding")).toBe(false);
  });

  it("gzips flushed responses even when brotli is preferred", () => {
    const transform = new CompressContentEncoding(request("br, gzip"));
    const [, headers, first] = transform.transformFirstChunk(200, htmlHeaders(), Buffer.from("part one "), false);
    expect(headers.get("Content-Encoding")).toBe("gzip");
    const last = transform.transformChunk(Buffer.from("part two"), true);
    expect(gunzipSync(Buffer.concat([first, last])).toString()).toBe("part one part two");
  });

  it("Vary is set even when nothing is compressed", () => {
    const transform = new CompressContentEncoding(request("br"));
    const [, headers, chunk] = transform.transformFirstChunk(200, htmlHeaders(), Buffer.from("x"), true);
    expect(headers.get("Vary")).toBe("Accept-Encoding");
    expect(chunk.toString()).toBe("x");
  });
});

describe("Accept-Encoding negotiation", () => {
  it("parses q-values", () => {
    expect([...parseAcceptEncoding("gzip, br;q=0.9, *;q=0, identity; q=0.5, bad;q=x")]).toEqual([
      ["gzip", 1],
      ["br", 0.9],
      ["*", 0],
      ["identity", 0.5],
      ["bad", 0],
    ]);
  });

  it("picks the best acceptable coding in server order", () => {
    expect(negotiateContentEncoding("gzip, br", ["br", "gzip"])).toBe("br");
    expect(negotiateContentEncoding("gzip;q=1, br;q=0.1", ["br", "gzip"])).toBe("gzip");
    expect(negotiateContentEncoding("*", ["br", "gzip"])).toBe("br");
    expect(negotiateContentEncoding("*;q=0.5, br;q=0", ["br", "gzip"])).toBe("gzip");
    expect(negotiateContentEncoding("x-gzip", ["br", "gzip"])).toBe("gzip");
    expect(negotiateContentEncoding("", ["br", "gzip"])).toBeUndefined();
    expect(negotiateContentEncoding(undefined, ["gzip"])).toBeUndefined();
  });
});
